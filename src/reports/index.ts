export { obligationsRoutes } from './obligations.routes.ts';
export { reportsRoutes } from './reports.routes.ts';
export { runObligationReminders, obligationTypeLabel, type ObligationRemindersOptions, type ObligationRemindersResult } from './obligation-reminders.ts';
export { createObligation, listObligations, getObligation, suggestObligations, addMonths } from './obligations.service.ts';
export { createReport, getReport, listReports, recompileReport, editSection, transitionReport } from './reports.service.ts';
export { countWords, WORD_LIMITS } from './word-count.ts';
export { exportReport, reportDocx, docxToPdf, findSoffice } from './report-export.ts';
