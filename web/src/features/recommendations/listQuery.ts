/**
 * The register list's request as the page's address gives it: one place for the page itself and for the first
 * screen's prefetch (web/src/firstScreen.ts), so that both ask the same question under the same query key.
 * Kept out of the page's lazily loaded chunk: the app's entry starts the request before that chunk has arrived.
 */
import { api } from '../../api/client.ts';
import { FACET_NAMES, type FacetName, type RecommendationList } from '../../api/types.ts';

export type SortKey = 'relevance' | 'paragraph' | 'updated' | 'status' | 'date';
export const SORTS: readonly SortKey[] = ['relevance', 'date', 'paragraph', 'updated', 'status'];
export const PAGE_SIZES = ['25', '50', '100'];

export interface ListParams {
  page: number;
  pageSize: number;
  q: string;
  sort: SortKey;
  order: 'asc' | 'desc';
  /** '0': search only the words typed, without the glossary's alternatives */
  expand: '0' | null;
  /** a facet's values: the parameter repeated once per value, each whole (a theme's name may hold commas) */
  selected: (f: FacetName) => string[];
  /** the API's query string for these parameters */
  apiQuery: string;
}

export function listParams(sp: URLSearchParams): ListParams {
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const pageSize = PAGE_SIZES.includes(sp.get('pageSize') ?? '') ? Number(sp.get('pageSize')) : 25;
  const q = sp.get('q') ?? '';
  // Relevance is the default order of a search (and only means something with search words).
  const sortRaw = sp.get('sort');
  const sort: SortKey = SORTS.includes(sortRaw as SortKey) && (sortRaw !== 'relevance' || q) ? (sortRaw as SortKey) : q ? 'relevance' : 'date';
  const order: 'asc' | 'desc' = sp.get('order') === 'asc' ? 'asc' : 'desc';
  const selected = (f: FacetName) => sp.getAll(f).filter(Boolean);
  const expand = sp.get('expand') === '0' ? '0' : null;
  const apiQuery = new URLSearchParams();
  if (q) apiQuery.set('q', q);
  if (q && expand) apiQuery.set('expand', expand);
  apiQuery.set('page', String(page));
  apiQuery.set('pageSize', String(pageSize));
  apiQuery.set('sort', sort);
  apiQuery.set('order', order);
  for (const f of FACET_NAMES) {
    for (const v of selected(f)) apiQuery.append(f, v);
  }
  return { page, pageSize, q, sort, order, expand, selected, apiQuery: apiQuery.toString() };
}

export const listQueryKey = (apiQuery: string) => ['recommendations', apiQuery] as const;
export const fetchList = (apiQuery: string) => api<RecommendationList>(`/api/recommendations?${apiQuery}`);
