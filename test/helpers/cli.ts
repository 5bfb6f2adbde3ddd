import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseTarget } from '../../src/config/config.ts';

const BIN = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'), 'bin/rasd.mjs');

/** The DATABASE_URL that names a test database. */
export const urlOf = (t: DatabaseTarget) => (t.engine === 'sqlite' ? `sqlite:${t.file}` : t.url);

/**
 * Runs `rasd …` in its own process and collects its output (killed after two minutes).
 * `env` is added to this process's environment; names listed in `drop` are left out of it first.
 */
export function runRasd(args: string[], env: Record<string, string>, drop: (name: string) => boolean = () => false): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !drop(k)));
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...inherited, LOG_LEVEL: 'silent', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}
