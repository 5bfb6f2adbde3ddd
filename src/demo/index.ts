export { seedDemo, isEmptyDatabase, DEMO_PASSWORD, type DemoLogin } from './demo.service.ts';
export { describeDemo, removeDemo, type DemoWorkspace, type DemoCounts, type DemoBlocker } from './demo-remove.ts';
export { demoRoutes } from './demo.routes.ts';
