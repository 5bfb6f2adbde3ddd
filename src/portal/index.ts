export { portalApiRoutes } from './portal.routes.ts';
export { portalPages } from './portal.pages.ts';
export { TokenBuckets } from './rate-limit.ts';
export { page, html, esc, ltr, dir, other, Html, type PageOptions } from './portal.html.ts';
export { LANGS, type Lang } from './portal.schema.ts';
export { portalCssHref } from './portal.pages.ts';
