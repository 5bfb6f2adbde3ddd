export { planRoutes } from './plan.routes.ts';
export { createPlan, setPlanStatus, setPlanPublication, createPillar, createObjective, createAction, patchAction, actionFromCluster, newPlanVersion, findPlan } from './plan.service.ts';
export { createIndicator } from './plan-indicators.service.ts';
export { getPlanTree, indicatorValueSummary, listPlans, planCoverage, type IndicatorValueSummary } from './plan-read.service.ts';
export { attainment, actionProgress, meanProgress } from './plan-progress.ts';
export { planDocx, docxFileName, type DocLang } from './plan-docx.ts';
export { planXlsx, planTemplateXlsx, importPlanXlsx, type ImportProblem } from './plan-xlsx.ts';
