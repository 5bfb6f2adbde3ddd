export { entitiesRoutes } from './entities.routes.ts';
export { createEntity, listEntities, importEntitiesCsv, type EntityInput } from './entities.service.ts';
