import { prepareFormats } from './api/format.ts';
import { queryClient } from './api/queryClient.ts';
import { referenceQuery } from './api/queries.ts';
import { RecommendationsPage } from './App.tsx';
import { sessionQuery } from './auth/session.ts';
import { storedLang } from './i18n/index.ts';
import { fetchList, listParams, listQueryKey } from './features/recommendations/listQuery.ts';

/**
 * The longest the first frame waits for the first screen's session, code and data, from the moment the app's code
 * runs: a slow answer shows the app's loader (or the page's own loading state) as before.
 */
const FIRST_FRAME_WAIT_MS = 600;

/**
 * Starts the first screen's requests as soon as the app's code runs, instead of one after the other as React
 * renders them (the session, then the page's lazily loaded code, then the page's own requests): the session at
 * once; on the register's list, that page's code at once, and its list and reference data as soon as the session
 * says someone is signed in who may read them (never before: a visitor who is not signed in sends no request that
 * would be refused). The page then finds them in the query cache under its own keys (issue 15).
 *
 * Resolves (never rejects) when the first frame can show the page whole rather than a loader replaced a moment later
 * by the page, itself re-rendered a moment later with its rows (each a full render and layout, which on a busy
 * machine took longer than the requests): the session known and, on the list, the page's code, its rows and the
 * statuses' colours here; or after FIRST_FRAME_WAIT_MS.
 */
export function startFirstScreen(location: Pick<Location, 'pathname' | 'search'>): Promise<void> {
  const session = queryClient.fetchQuery(sessionQuery).catch(() => null);
  const waits: Promise<unknown>[] = [session];
  if (location.pathname.replace(/\/+$/, '') === '/recommendations') {
    // a failed download is tried again when the page renders
    waits.push(RecommendationsPage.preload().catch(() => undefined));
    waits.push(
      session.then((s) => {
        const user = s?.user;
        if (!user || user.role === 'stakeholder' || s.passwordChangeRequired || s.twoFactorSetupRequired) return;
        const { apiQuery } = listParams(new URLSearchParams(location.search));
        // prefetchQuery never rejects: a refused or failed request is the page's to show (and retry) as usual
        return Promise.all([queryClient.prefetchQuery({ queryKey: listQueryKey(apiQuery), queryFn: () => fetchList(apiQuery) }), queryClient.prefetchQuery(referenceQuery)]);
      }),
    );
  }
  // while the requests are out: the locale data the first render would otherwise load
  setTimeout(() => prepareFormats(storedLang()), 0);
  return Promise.race([Promise.all(waits).then(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, FIRST_FRAME_WAIT_MS))]);
}
