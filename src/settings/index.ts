export { settingsRoutes } from './settings.routes.ts';
export { getSetting, putSetting, publicSettings, countryNameOf } from './settings.service.ts';
