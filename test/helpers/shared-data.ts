/**
 * Test helper: locate the real shared data (../shared/data seen from the project root) and run
 * suites against it. Absent folder → the suite is skipped with a clear message, except when
 * CI=true, where it fails instead (CI must prove the real-data checks ran).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of the shared real-data folder (override with RASD_SHARED_DATA). */
export const sharedDataDir: string = process.env.RASD_SHARED_DATA ?? resolve(projectRoot, '..', 'shared', 'data');

export const hasSharedData: boolean = existsSync(sharedDataDir);

/** Path of a file inside the shared data folder. */
export function sharedDataPath(...parts: string[]): string {
  return resolve(sharedDataDir, ...parts);
}

/** `describe` that needs the shared data: skips without it, fails without it when CI=true. */
export function describeWithSharedData(name: string, fn: () => void): void {
  if (hasSharedData) {
    describe(name, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs the shared real data', () => {
        throw new Error(`Shared data folder not found at ${sharedDataDir} (CI=true: real-data tests must run, not skip)`);
      });
    });
  } else {
    describe.skip(`${name} [skipped: shared data folder not found at ${sharedDataDir}]`, fn);
  }
}
