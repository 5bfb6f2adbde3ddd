export { exportsRoutes } from './exports.routes.ts';
export { exportMatrix, type MatrixFormat } from './exports.service.ts';
export { MATRIX_LANGS, type MatrixLang } from './matrix-labels.ts';
export { csvField } from './matrix.writers.ts';
