export { referenceRoutes } from './reference.routes.ts';
export { taxonomiesRoutes } from './taxonomies.routes.ts';
export { importSdgs, listTerms, TERM_KINDS } from './taxonomies.service.ts';
