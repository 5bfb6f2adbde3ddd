/**
 * Rendered portal pages kept in memory: a bounded LRU (by entries and by bytes) of (address → page), each page
 * stored with the stamp of the data it was rendered from. The stamp is taken before the page's data is read, so a
 * change committed while a page renders leaves that page under an old stamp and it is rendered again next time.
 * A repeat of a page is a map lookup and its ETag; no database work.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CachedPage {
  stamp: string;
  status: number;
  type: string;
  body: string;
  etag: string;
  /** the gzip copy, made on the first request that accepts it */
  gzip?: Buffer;
}

export const etagOf = (body: string): string => `"${createHash('sha1').update(body).digest('base64url')}"`;

export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The page at this address rendered from data of this stamp, or undefined (a page of an older stamp is dropped). */
  get(key: string, stamp: string): CachedPage | undefined {
    const page = this.entries.get(key);
    if (!page) return undefined;
    this.entries.delete(key);
    if (page.stamp !== stamp) {
      this.bytes -= cost(page);
      return undefined;
    }
    this.entries.set(key, page); // most recently used last
    return page;
  }

  set(key: string, page: CachedPage): void {
    if (this.maxEntries <= 0 || cost(page) > this.maxBytes / 4) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= cost(old);
    }
    this.entries.set(key, page);
    this.bytes += cost(page);
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [oldestKey, oldest] = this.entries.entries().next().value!;
      this.entries.delete(oldestKey);
      this.bytes -= cost(oldest);
    }
  }

  /** The page's gzip copy, made once. */
  gzip(page: CachedPage): Buffer {
    if (!page.gzip) {
      page.gzip = gzipSync(page.body, { level: 6 });
      this.bytes += page.gzip.length;
    }
    return page.gzip;
  }
}

/** Memory a page holds: its text (UTF-16 in V8, counted as 2 bytes a character) and its gzip copy. */
const cost = (page: CachedPage): number => page.body.length * 2 + (page.gzip?.length ?? 0);

const acceptsGzip = (request: FastifyRequest) => /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));

/** Sends a page or answer (from the cache or just made) with its ETag; 304 when the client already holds it. */
export function sendPage(request: FastifyRequest, reply: FastifyReply, page: CachedPage, cache?: PageCache) {
  reply.header('cache-control', 'public, no-cache').header('etag', page.etag).header('vary', 'accept-encoding');
  const match = request.headers['if-none-match'];
  if (page.status === 200 && typeof match === 'string' && match.split(',').some((m) => m.trim().replace(/^W\//, '') === page.etag)) {
    return reply.status(304).send();
  }
  reply.status(page.status).type(page.type);
  // a cached page of some size goes compressed to a client that accepts it (made once per page)
  if (cache && page.body.length > 1024 && acceptsGzip(request)) return reply.header('content-encoding', 'gzip').send(cache.gzip(page));
  return reply.send(page.body);
}
