export * from './users.service.ts';
export { usersRoutes } from './users.routes.ts';
export * from './users.schema.ts';
