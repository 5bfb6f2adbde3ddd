export { importRecords, ImportRejected, recommendationKey, type ImportOutcome, type ImportOptions } from './import.service.ts';
export { FORMATS, isFormat, parseFile, resolvePresetMapping, type ImportFormat, type FormatOptions } from './formats.ts';
export { ImportParseError, type ImportRecord, type ImportIssue, type ParseReport } from './types.ts';
export { ImportRuns } from './import-runs.service.ts';
export { importsRoutes } from './imports.routes.ts';
export { parseErrorLine, reportParseError } from './import-errors.ts';
export { assertInflatesSafely, readZipEntries } from './zip-guard.ts';
export { downloadTo } from './download.ts';
