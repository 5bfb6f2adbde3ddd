import type { TFunction } from 'i18next';

/**
 * Every audit action the server records (src/**: recordAudit's `action`), so that each has a name in both languages
 * (web/src/features/audit/actions.test.ts checks this list against the source and the bundles).
 */
export const AUDIT_ACTIONS = [
  'auth.login', 'auth.logout',
  'user.create', 'user.change_password', 'user.reset_password', 'user.unlock',
  'entity.create', 'entity.update',
  'term.create', 'term.update', 'term.delete', 'taxonomy.import_sdg',
  'recommendation.update', 'recommendation.terms', 'recommendation.status', 'recommendation.status.approved_update',
  'recommendation.bulk.add_terms', 'recommendation.bulk.remove_terms', 'recommendation.bulk.set_position', 'recommendation.bulk.set_priority',
  'recommendation.bulk.publish', 'recommendation.bulk.unpublish',
  'import.run', 'import_mapping.save', 'import_mapping.delete',
  'view.create', 'view.delete',
  'assignment.create', 'assignment.update', 'assignment.delete',
  'update.create', 'update.edit', 'update.delete', 'update.submit', 'update.return', 'update.approve',
  'evidence.add', 'evidence.remove',
  'cluster.suggest', 'cluster.accept', 'cluster.rename', 'cluster.merge', 'cluster.split', 'cluster.remove_member', 'cluster.delete',
  'plan.create', 'plan.edit', 'plan.status', 'plan.version', 'plan.import', 'plan.publish', 'plan.unpublish',
  'plan.pillar.create', 'plan.pillar.edit', 'plan.pillar.delete',
  'plan.objective.create', 'plan.objective.edit', 'plan.objective.delete',
  'plan.action.create', 'plan.action.edit', 'plan.action.delete',
  'plan.indicator.create', 'plan.indicator.edit', 'plan.indicator.delete',
  'plan.value.create', 'plan.value.edit', 'plan.value.delete', 'plan.value.submit', 'plan.value.return', 'plan.value.approve',
  'obligation.create', 'obligation.edit', 'obligation.delete', 'obligation.status',
  'report.create', 'report.edit', 'report.compile', 'report.section.edit', 'report.section.accept', 'report.section.dismiss',
  'report.comment', 'report.comment.resolve', 'report.review', 'report.return', 'report.approve', 'report.submit',
  'calendar_feed.create', 'calendar_feed.revoke',
  'demo.seed', 'demo.remove',
  'glossary.create', 'glossary.edit', 'glossary.delete', 'glossary.import',
  'settings.update', 'settings.logo.set', 'settings.logo.remove',
  'auth.session_revoke', 'auth.two_factor.enable', 'auth.two_factor.disable', 'auth.two_factor.reset', 'settings.two_factor_roles', 'secrets.rotate',
  'user.create_from_identity_provider', 'user.update_from_identity_provider',
  'backup.run', 'report.articles', 'tagger.train', 'recommendation.tag_suggestion.accept', 'recommendation.tag_suggestion.reject',
  'plan.action.status.approved_update',
  'user.temporary_password', 'user.reset_link_sent', 'user.reset_password_by_link',
  'recommendation.merge', 'recommendation.unmerge', 'recommendation.keep_apart', 'theme_mapping.save', 'theme_mapping.delete',
  'stakeholder.register', 'stakeholder.confirm_email', 'stakeholder.approve', 'stakeholder.reject',
  'consultation.create', 'consultation.edit', 'consultation.invite', 'consultation.comment', 'consultation.comment.accept', 'consultation.comment.reject',
] as const;

/** The action's i18n key: dots would nest, so they become slashes inside the `arabic.auditAction` block. */
export const auditActionKey = (action: string) => `arabic.auditAction.${action.replaceAll('.', '/')}`;

/** An audit action's name in the reader's language; an action the bundle does not know is shown as its code. */
export function auditActionLabel(t: TFunction, action: string): string {
  return t(auditActionKey(action), { defaultValue: '' }) || action;
}
