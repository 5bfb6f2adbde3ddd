import { describe, expect, it } from 'vitest';
import { completedIn, notificationOf } from './postgres.ts';

describe('PostgreSQL change notifications (migration 043)', () => {
  it('reads the table and the transaction of a payload; the bulk import names no table; an older payload neither', () => {
    expect(notificationOf('recommendations 7412')).toEqual({ table: 'recommendations', tx: 7412 });
    expect(notificationOf(' 7412')).toEqual({ table: null, tx: 7412 });
    expect(notificationOf('')).toEqual({ table: null, tx: null });
    expect(notificationOf(undefined)).toEqual({ table: null, tx: null });
    expect(notificationOf('glossary_entries')).toEqual({ table: null, tx: null });
    expect(notificationOf('glossary_entries x')).toEqual({ table: 'glossary_entries', tx: null });
  });

  it('tells whether a transaction had completed in a snapshot (xmin:xmax:running)', () => {
    expect(completedIn(99, '100:105:101,103')).toBe(true);
    expect(completedIn(101, '100:105:101,103')).toBe(false);
    expect(completedIn(102, '100:105:101,103')).toBe(true);
    expect(completedIn(105, '100:105:101,103')).toBe(false);
    expect(completedIn(104, '100:105:')).toBe(true);
  });
});
