import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { DownloadLimits } from '../config/config.ts';
import { ImportParseError } from './types.ts';

const MAX_REDIRECTS = 3;

const fail = (code: string, message: string) => new ImportParseError([{ code, field: 'url', message }]);

/** Whether an address may be downloaded from: http(s) on an allowed host (host or host:port). */
export function downloadAllowed(url: URL, limits: DownloadLimits): boolean {
  if (!['http:', 'https:'].includes(url.protocol)) return false;
  return limits.allowedHosts.includes(url.host.toLowerCase()) || limits.allowedHosts.includes(url.hostname.toLowerCase());
}

export const hostNotAllowedMessage = (url: URL) => `Downloads from ${url.host} are not allowed (RASD_UHRI_HOSTS lists the allowed hosts).`;

function checkHost(url: URL, limits: DownloadLimits): void {
  if (!downloadAllowed(url, limits)) throw fail('download_host_not_allowed', hostNotAllowedMessage(url));
}

/**
 * Downloads a UHRI JSON export to `dest`, reporting bytes as they arrive; it is then imported as uhri-json. The
 * download goes to a file first so that the import is all-or-nothing even if the connection drops. Only the
 * allowed hosts are fetched (redirects included), within a byte limit and a time limit; a failed download leaves
 * no file behind.
 */
export async function downloadTo(url: string, dest: string, limits: DownloadLimits, onBytes?: (read: number, total: number | null) => void): Promise<void> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const timedOut = () => fail('download_timeout', `The download took longer than ${Math.round(limits.timeoutMs / 1000)} s.`);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw fail('invalid_url', `"${url}" is not an http(s) address.`);
  }
  let res: Response | undefined;
  for (let hop = 0; ; hop++) {
    checkHost(target, limits);
    try {
      res = await fetch(target, { signal, redirect: 'manual' });
    } catch (err) {
      if (signal.aborted) throw timedOut();
      throw fail('download_failed', `Could not reach ${target.host}: ${(err as Error).message}`);
    }
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) break;
    if (hop >= MAX_REDIRECTS) throw fail('download_failed', `More than ${MAX_REDIRECTS} redirects from ${url}.`);
    await res.body?.cancel();
    target = new URL(location, target);
  }
  if (!res.ok || !res.body) throw fail('download_failed', `The server at ${target.host} answered ${res.status} ${res.statusText}.`);
  const total = Number(res.headers.get('content-length')) || null;
  const tooLarge = () => fail('download_too_large', `The download is larger than the ${Math.round(limits.maxBytes / 1024 / 1024)} MB limit (RASD_UHRI_MAX_MB).`);
  if (total !== null && total > limits.maxBytes) {
    await res.body.cancel();
    throw tooLarge();
  }
  const out = fs.createWriteStream(dest);
  try {
    let read = 0;
    for await (const chunk of Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>)) {
      read += (chunk as Uint8Array).length;
      if (read > limits.maxBytes) throw tooLarge();
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      onBytes?.(read, total);
    }
    await new Promise<void>((resolve, reject) => {
      out.on('error', reject);
      out.end(() => resolve());
    });
  } catch (err) {
    out.destroy();
    fs.rmSync(dest, { force: true });
    if (err instanceof ImportParseError) throw err;
    if (signal.aborted) throw timedOut();
    throw fail('download_failed', `The download from ${target.host} broke off: ${(err as Error).message}`);
  }
}
