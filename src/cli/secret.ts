import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { rotateSecrets } from '../auth/secret-rotation.ts';
import { SECRET_KEY_FILE } from '../auth/secret-box.ts';
import { parseSecretKey } from '../config/config.ts';
import { AppError } from '../shared/errors.ts';
import { CliError, withDatabase } from './runtime.ts';

/**
 * `rasd secret rotate`: re-encrypts every secret kept encrypted at rest under a new key, all or nothing
 * (src/auth/secret-rotation.ts). The new key is read from a file (--new-key-file) or from SECRET_KEY_NEW, never
 * from the command line (it would stay in the shell's history and in the process list) and never printed.
 * Without a new key, a rotation under way is finished: secrets still under SECRET_KEY_PREVIOUS move to SECRET_KEY.
 */
export function registerSecretCommand(program: Command): void {
  const secret = program.command('secret').description('Manage the key that encrypts secrets at rest (SECRET_KEY)');
  secret
    .command('rotate')
    .description(
      'Re-encrypt every stored secret under a new key in one transaction (all or nothing). The new key: --new-key-file FILE or SECRET_KEY_NEW; without one, SECRET_KEY is the new key and SECRET_KEY_PREVIOUS the old (finishing a rotation window). See docs/OPERATIONS.md.',
    )
    .option('--new-key-file <file>', 'a file holding the new key (64 hex digits or 32 bytes in base64)')
    .action((o: { newKeyFile?: string }) =>
      withDatabase(async ({ db }, config) => {
        const keyFile = path.join(config.dataDir, SECRET_KEY_FILE);
        const given = o.newKeyFile
          ? parseSecretKey(readKeyFile(o.newKeyFile), o.newKeyFile)
          : process.env.SECRET_KEY_NEW?.trim()
            ? parseSecretKey(process.env.SECRET_KEY_NEW, 'SECRET_KEY_NEW')
            : null;
        // the key in use: SECRET_KEY, else DATA_DIR/secret.key (never made here: a missing key file means no key)
        const current = config.secretKey ?? (fs.existsSync(keyFile) ? parseSecretKey(fs.readFileSync(keyFile, 'utf8'), keyFile) : null);
        let to: Buffer;
        let from: Buffer[];
        if (given) {
          if (!current && !config.secretKeyPrevious) throw new CliError(`No key is in use (neither SECRET_KEY nor ${keyFile}): nothing to rotate from.`);
          to = given;
          from = [current, config.secretKeyPrevious].filter((k): k is Buffer => k !== null);
        } else if (config.secretKeyPrevious && current) {
          to = current;
          from = [config.secretKeyPrevious];
        } else {
          throw new CliError('Give the new key: --new-key-file FILE or the SECRET_KEY_NEW variable (or set SECRET_KEY to the new key and SECRET_KEY_PREVIOUS to the old one).');
        }
        let result;
        try {
          result = await rotateSecrets(db, { to, from });
        } catch (err) {
          if (err instanceof AppError) throw new CliError(`${err.code}: ${err.message}`);
          throw err;
        }
        // the embedded mode keeps its key in DATA_DIR/secret.key: the new key replaces it there
        const wroteKeyFile = given !== null && config.secretKey === null;
        if (wroteKeyFile) {
          const tmp = `${keyFile}.${process.pid}.tmp`;
          fs.writeFileSync(tmp, `${to.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
          fs.renameSync(tmp, keyFile);
        }
        console.log(`Re-encrypted ${result.rotated} secret(s) under the new key; ${result.unchanged} already were. All in one transaction.`);
        console.log(
          wroteKeyFile
            ? `The new key replaced ${keyFile}. Restart the server.`
            : 'Now run every instance with SECRET_KEY set to the new key (and without SECRET_KEY_PREVIOUS), then restart them.',
        );
      }),
    );
}

function readKeyFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`Cannot read the new key from ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}
