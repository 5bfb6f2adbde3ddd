import type Database from 'better-sqlite3';
import type { HitList } from './hit-list.ts';

/** Every hit of an FTS5 MATCH on this connection (in the row id range [from, to) if given), collected into typed arrays. */
export declare function runHitList(db: Database.Database, match: string, ranked: boolean, range?: [number, number]): HitList;
