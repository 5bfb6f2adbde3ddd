export { settingsRoutes } from './settings.routes.ts';
export { getSetting, putSetting, publicSettings } from './settings.service.ts';
