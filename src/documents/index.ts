export { documentsRoutes } from './documents.routes.ts';
export { listDocuments, getDocument } from './documents.service.ts';
