import { registerIndex } from '../recommendations/index.ts';
import type { AppContext } from '../server/context.ts';

/** Every table the portal (its pages and its API) reads: a write to any of them makes every cached answer stale. */
export const PORTAL_TABLES = [
  'recommendations', 'recommendation_search', 'recommendation_terms', 'documents', 'bodies', 'mechanisms', 'statuses', 'clusters', 'terms',
  'status_history', 'assignments', 'entities', 'progress_updates', 'update_measures', 'update_indicators', 'glossary_entries',
  'plans', 'plan_pillars', 'plan_objectives', 'plan_actions', 'plan_indicators', 'plan_indicator_values', 'plan_action_recommendations', 'plan_action_clusters',
  // the logo (a setting) is in every page's header; accepted public comments show on a recommendation's page, with
  // their consultation's title and their organisation's name
  'settings', 'consultation_comments', 'consultations', 'stakeholder_profiles',
];

const stamps = new WeakMap<AppContext, () => Promise<string>>();

/**
 * What the portal's data looks like now, as a string that changes whenever it does: the register snapshot (which
 * one, and its version: a rebuild in slices answers from the previous one meanwhile), this process's writes to the
 * portal's tables, and other processes' writes. One function per app, shared by the page cache and the API's cache.
 */
export function portalDataStamp(ctx: AppContext): () => Promise<string> {
  let fn = stamps.get(ctx);
  if (!fn) {
    const snapshotIds = new WeakMap<object, number>();
    let snapshots = 0;
    fn = async () => {
      const snapshot = await registerIndex(ctx.db, ctx.dialect).current();
      let id = snapshotIds.get(snapshot);
      if (id === undefined) snapshotIds.set(snapshot, (id = ++snapshots));
      return `${id}.${snapshot.version}/${ctx.dialect.changes.stamp(PORTAL_TABLES)}/${await ctx.dialect.externalChanges(ctx.db)}`;
    };
    stamps.set(ctx, fn);
  }
  return fn;
}
