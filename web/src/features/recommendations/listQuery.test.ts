import { describe, expect, it } from 'vitest';
import { listParams, listQueryKey } from './listQuery.ts';

const api = (search: string) => listParams(new URLSearchParams(search)).apiQuery;

describe('the register list request of an address (shared by the page and the first screen)', () => {
  it('defaults: page 1 of 25, newest documents first', () => {
    expect(api('')).toBe('page=1&pageSize=25&sort=date&order=desc');
  });

  it('a search is ordered by relevance unless asked otherwise; relevance without words is the date order', () => {
    expect(api('q=torture')).toBe('q=torture&page=1&pageSize=25&sort=relevance&order=desc');
    expect(api('q=torture&sort=paragraph&order=asc')).toBe('q=torture&page=1&pageSize=25&sort=paragraph&order=asc');
    expect(api('sort=relevance')).toBe('page=1&pageSize=25&sort=date&order=desc');
  });

  it('keeps only the page sizes the page offers, and pages from 1', () => {
    expect(api('pageSize=100&page=3')).toBe('page=3&pageSize=100&sort=date&order=desc');
    expect(api('pageSize=7&page=-2')).toBe('page=1&pageSize=25&sort=date&order=desc');
  });

  it('facets: one parameter per value, each whole, in the API order of the facets; empty values dropped', () => {
    expect(api('theme=a%2Cb&status=in_progress&mechanism=TB&mechanism=UPR&theme=')).toBe(
      'page=1&pageSize=25&sort=date&order=desc&mechanism=TB&mechanism=UPR&status=in_progress&theme=a%2Cb',
    );
  });

  it('the glossary switch only with search words', () => {
    expect(api('expand=0')).toBe('page=1&pageSize=25&sort=date&order=desc');
    expect(api('q=women&expand=0')).toBe('q=women&expand=0&page=1&pageSize=25&sort=relevance&order=desc');
  });

  it('the same address gives the same query key, whatever order its parameters come in', () => {
    expect(listQueryKey(api('order=asc&sort=paragraph&status=a'))).toEqual(listQueryKey(api('status=a&sort=paragraph&order=asc')));
  });
});
