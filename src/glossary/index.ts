export { glossaryRoutes } from './glossary.routes.ts';
export { listGlossary, createGlossaryEntry, updateGlossaryEntry, deleteGlossaryEntry, exportGlossaryCsv, importGlossaryCsv, type GlossaryImportResult } from './glossary.service.ts';
export { expandQuery, buildGlossaryIndex, glossaryIndex, MAX_VARIANTS, type ExpandedQuery, type ExpansionGroup, type GlossaryIndex } from './glossary.expand.ts';
