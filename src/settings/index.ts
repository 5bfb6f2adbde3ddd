export { settingsRoutes } from './settings.routes.ts';
export { getSetting, putSetting, publicSettings, countryNameOf, instanceSettings, updateInstanceSettings, type InstanceSettings } from './settings.service.ts';
