import type { Kysely } from 'kysely';

/** Frozen: never import application code here. */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const serial = (col: any) =>
    engine === 'sqlite' ? col.autoIncrement().primaryKey().notNull() : col.generatedAlwaysAsIdentity().primaryKey();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey().notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('entities')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('entities.id'))
    .addColumn('archived_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.references('entities.id'))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('ar'))
    .addColumn('disabled_at', 'text')
    .addColumn('last_login_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'integer', serial)
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_failures_key_idx').on('login_failures').columns(['key', 'at']).execute();

  await db.schema
    .createTable('mechanisms')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('bodies')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('mechanism_id', 'text', (c) => c.notNull().references('mechanisms.id'))
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('symbol', 'text', (c) => c.notNull().unique())
    .addColumn('body_id', 'text', (c) => c.notNull().references('bodies.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title_ar', 'text')
    .addColumn('title_en', 'text')
    .addColumn('country', 'text')
    .addColumn('date', 'text')
    .addColumn('upr_cycle', 'integer')
    .addColumn('upr_session', 'integer')
    .addColumn('url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('documents_body_idx').on('documents').column('body_id').execute();

  await db.schema
    .createTable('statuses')
    .addColumn('code', 'text', (c) => c.primaryKey().notNull())
    .addColumn('label_ar', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('recommendations')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('paragraph', 'text')
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('external_source', 'text')
    .addColumn('original_lang', 'text')
    .addColumn('text_ar', 'text')
    .addColumn('text_en', 'text')
    .addColumn('text_fr', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('position', 'text')
    .addColumn('position_source', 'text')
    .addColumn('recommending_states', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull().references('statuses.code'))
    .addColumn('priority', 'text')
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('follow_up', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('due_date', 'text')
    .addColumn('notes', 'text')
    .addColumn('cluster_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('recommendations_document_idx').on('recommendations').column('document_id').execute();
  await db.schema.createIndex('recommendations_status_idx').on('recommendations').column('status').execute();
  await db.schema.createIndex('recommendations_cluster_idx').on('recommendations').column('cluster_id').execute();

  await db.schema
    .createTable('terms')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('label_ar', 'text')
    .addColumn('label_en', 'text')
    .addColumn('parent_id', 'text', (c) => c.references('terms.id'))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('terms_kind_code_uq', ['kind', 'code'])
    .execute();

  await db.schema
    .createTable('recommendation_terms')
    .addColumn('recommendation_id', 'text', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
    .addColumn('term_id', 'text', (c) => c.notNull().references('terms.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('recommendation_terms_pk', ['recommendation_id', 'term_id'])
    .execute();
  await db.schema.createIndex('recommendation_terms_term_idx').on('recommendation_terms').column('term_id').execute();

  await db.schema
    .createTable('status_history')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('recommendation_id', 'text', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('changed_by', 'text', (c) => c.references('users.id'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_history_rec_idx').on('status_history').column('recommendation_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', serial)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema.createIndex('audit_subject_idx').on('audit_log').columns(['subject_type', 'subject_id']).execute();
  await db.schema.createIndex('audit_at_idx').on('audit_log').column('at').execute();

  // Reference data: the mechanisms, bodies and statuses of SPEC §2 (configurable afterwards).
  const mechanisms: [string, string, string][] = [
    ['UPR', 'الاستعراض الدوري الشامل', 'Universal Periodic Review'],
    ['TB', 'هيئات المعاهدات', 'Treaty bodies'],
    ['SP', 'الإجراءات الخاصة', 'Special procedures'],
    ['REG', 'الآليات الإقليمية', 'Regional mechanisms'],
    ['NAT', 'الآليات الوطنية', 'National mechanisms'],
    ['VP', 'التعهدات الطوعية', 'Voluntary pledges'],
  ];
  await db
    .insertInto('mechanisms')
    .values(mechanisms.map(([code, ar, en], i) => ({ id: `mech-${code.toLowerCase()}`, code, name_ar: ar, name_en: en, sort: i })))
    .execute();
  const bodies: [string, string, string, string][] = [
    ['UPR', 'UPR', 'الفريق العامل المعني بالاستعراض الدوري الشامل', 'UPR Working Group'],
    ['TB', 'CERD', 'لجنة القضاء على التمييز العنصري', 'Committee on the Elimination of Racial Discrimination'],
    ['TB', 'CCPR', 'اللجنة المعنية بحقوق الإنسان', 'Human Rights Committee'],
    ['TB', 'CESCR', 'اللجنة المعنية بالحقوق الاقتصادية والاجتماعية والثقافية', 'Committee on Economic, Social and Cultural Rights'],
    ['TB', 'CEDAW', 'اللجنة المعنية بالقضاء على التمييز ضد المرأة', 'Committee on the Elimination of Discrimination against Women'],
    ['TB', 'CAT', 'لجنة مناهضة التعذيب', 'Committee against Torture'],
    ['TB', 'SPT', 'اللجنة الفرعية لمنع التعذيب', 'Subcommittee on Prevention of Torture'],
    ['TB', 'CRC', 'لجنة حقوق الطفل', 'Committee on the Rights of the Child'],
    ['TB', 'CMW', 'اللجنة المعنية بالعمال المهاجرين', 'Committee on Migrant Workers'],
    ['TB', 'CRPD', 'اللجنة المعنية بحقوق الأشخاص ذوي الإعاقة', 'Committee on the Rights of Persons with Disabilities'],
    ['TB', 'CED', 'اللجنة المعنية بحالات الاختفاء القسري', 'Committee on Enforced Disappearances'],
    ['SP', 'SP', 'الإجراءات الخاصة لمجلس حقوق الإنسان', 'Special procedures of the Human Rights Council'],
    ['REG', 'AHRC', 'لجنة حقوق الإنسان العربية', 'Arab Human Rights Committee'],
    ['NAT', 'NHRI', 'المؤسسة الوطنية لحقوق الإنسان', 'National human rights institution'],
    ['VP', 'VP', 'التعهدات الطوعية', 'Voluntary pledges'],
  ];
  await db
    .insertInto('bodies')
    .values(
      bodies.map(([mech, code, ar, en], i) => ({
        id: `body-${code.toLowerCase()}`,
        code,
        mechanism_id: `mech-${mech.toLowerCase()}`,
        name_ar: ar,
        name_en: en,
        sort: i,
      })),
    )
    .execute();
  const statuses: [string, string, string, string][] = [
    ['not_started', 'لم يبدأ', 'Not started', '#8a8f98'],
    ['in_progress', 'قيد التنفيذ', 'In progress', '#1c7ed6'],
    ['partially_implemented', 'نُفّذ جزئياً', 'Partially implemented', '#e8890c'],
    ['fully_implemented', 'نُفّذ كلياً', 'Fully implemented', '#2f9e44'],
    ['no_action', 'لا إجراء (أُحيط علماً)', 'No action (noted)', '#5f3dc4'],
  ];
  await db
    .insertInto('statuses')
    .values(statuses.map(([code, ar, en, color], i) => ({ code, label_ar: ar, label_en: en, color, sort: i })))
    .execute();
}
