import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { removeStalePdfDirs } from './report-export.ts';

let tmp = '';
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

it("removes the PDF conversion folders of processes that no longer run, and keeps live ones' and others'", () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-pdf-sweep-'));
  // a PID above the kernel's maximum is never alive
  const dead = `rasd-pdf-4194305-abc`;
  const mine = `rasd-pdf-${process.pid}-def`;
  const parent = `rasd-pdf-${process.ppid}-ghi`;
  for (const d of [dead, mine, parent, 'rasd-pdf-xyz', 'other-folder']) fs.mkdirSync(path.join(tmp, d, 'profile'), { recursive: true });
  expect(removeStalePdfDirs(tmp)).toEqual([dead]);
  expect(fs.readdirSync(tmp).sort()).toEqual(['other-folder', mine, parent, 'rasd-pdf-xyz'].sort());
});
