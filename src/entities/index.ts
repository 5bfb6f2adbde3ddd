export { entitiesRoutes } from './entities.routes.ts';
export { createEntity, listEntities, type EntityInput } from './entities.service.ts';
