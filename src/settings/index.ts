export { settingsRoutes } from './settings.routes.ts';
export { getSetting, putSetting, publicSettings, countryNameOf, instanceSettings, updateInstanceSettings, type InstanceSettings } from './settings.service.ts';
export { setLogo, removeLogo, readLogo, logoMeta, MAX_LOGO_BYTES, type LogoMeta } from './logo.service.ts';
