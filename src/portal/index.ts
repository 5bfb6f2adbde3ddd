export { portalApiRoutes } from './portal.routes.ts';
export { portalPages } from './portal.pages.ts';
