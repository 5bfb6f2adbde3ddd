export { entitiesRoutes } from './entities.routes.ts';
export { createEntity, listEntities, importEntitiesCsv, updateEntity, type EntityInput } from './entities.service.ts';
