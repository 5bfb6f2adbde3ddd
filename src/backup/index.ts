export { createBackup, appVersion, type BackupResult, type BackupProgress } from './backup.service.ts';
export { restoreBackup, readManifest, type RestoreResult, type RestoreProgress } from './restore.service.ts';
export { exportData, type ExportFormat, type ExportResult } from './export.service.ts';
export { openArchive } from './archive.ts';
export { manifestSchema, type Manifest } from './manifest.ts';
export { RowsDigest, readTable, loadOrder } from './tables.ts';
export { BACKUP_JOB, runBackupJob, listBackups, backupStatus, type BackupJobResult, type BackupFile, type LastBackup } from './backup-job.ts';
export { backupRoutes } from './backup.routes.ts';
