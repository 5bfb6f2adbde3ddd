export { updatesRoutes } from './updates.routes.ts';
export {
  createUpdate,
  createActionUpdate,
  listActionUpdates,
  getUpdate,
  listUpdates,
  patchUpdate,
  deleteUpdate,
  transitionUpdate,
  addEvidence,
  openEvidence,
  removeEvidence,
  setUpdatePublic,
  MAX_EVIDENCE_BYTES,
} from './updates.service.ts';
export { detectFileType, validateFileName } from './file-type.ts';
export { MEASURE_TYPE_NAMES, ACTION_STATUSES } from './updates.schema.ts';
