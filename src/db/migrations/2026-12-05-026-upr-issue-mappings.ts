import type { Kysely } from 'kysely';

/**
 * Frozen (issue 13, step 7): the default mapping of UPR Info's issue vocabulary onto bilingual themes, so that an
 * import of a UPR Info export never creates an English-only theme.
 *
 * `theme_mappings` gains the theme a mapping designates by default: `theme_code` with its Arabic and English names.
 * A mapping whose `term_id` is still null and that has a `theme_code` links, on the first import that needs it, the
 * register's theme of that code (or of that Arabic or English name); where the register has none, the import
 * creates it with both names and records it in `term_id`. A mapping with neither (`term_id` and `theme_code` null) is
 * a coordinator's choice to link no theme. A coordinator edits mappings through the existing mapping API, which
 * clears the default once a mapping is set by hand.
 *
 * Seeded here: every one of the 54 issues of the UPR Info export (../shared/data/upr-info, sessions 1–20 and the
 * voluntary pledges), plus a few spellings of later exports. Labels are stored as the import looks them up
 * (lower case, single spaces). Codes follow the demo's themes where the theme is the same one, so that a register
 * that has them links them instead of creating twins. Rows a coordinator already saved are left alone.
 */
export const UPR_INFO_ISSUES: readonly (readonly [issue: string, code: string, ar: string, en: string])[] = [
  ['Asylum-seekers - refugees', 'asylum-refugees', 'ملتمسو اللجوء واللاجئون', 'Asylum-seekers and refugees'],
  ['CP rights - general', 'civil-political-rights', 'الحقوق المدنية والسياسية (عام)', 'Civil and political rights (general)'],
  ['Civil society', 'civil-society', 'المجتمع المدني', 'Civil society'],
  ['Corruption', 'corruption', 'مكافحة الفساد', 'Corruption'],
  ['Counter-terrorism', 'counter-terrorism', 'مكافحة الإرهاب', 'Counter-terrorism'],
  ['Death penalty', 'death-penalty', 'عقوبة الإعدام', 'Death penalty'],
  ['Detention', 'detention', 'الاحتجاز وظروفه', 'Detention'],
  ['Development', 'development', 'التنمية', 'Development'],
  ['Disabilities', 'disability', 'حقوق الأشخاص ذوي الإعاقة', 'Rights of persons with disabilities'],
  ['ESC rights - general', 'esc-rights', 'الحقوق الاقتصادية والاجتماعية والثقافية (عام)', 'Economic, social and cultural rights (general)'],
  ['Elections', 'elections', 'الانتخابات', 'Elections'],
  ['Enforced disappearances', 'enforced-disappearance', 'الاختفاء القسري', 'Enforced disappearance'],
  ['Environment', 'environment', 'البيئة', 'Environment'],
  ['Extrajudicial executions', 'extrajudicial-executions', 'الإعدام خارج نطاق القضاء', 'Extrajudicial executions'],
  ['Freedom of association and peaceful assembly', 'association-assembly', 'حرية تكوين الجمعيات والتجمع السلمي', 'Freedom of association and peaceful assembly'],
  ['Freedom of movement', 'movement', 'حرية التنقل', 'Freedom of movement'],
  ['Freedom of opinion and expression', 'expression', 'حرية الرأي والتعبير', 'Freedom of opinion and expression'],
  ['Freedom of religion and belief', 'religion-belief', 'حرية الدين والمعتقد', 'Freedom of religion and belief'],
  ['Freedom of the press', 'press-freedom', 'حرية الصحافة', 'Freedom of the press'],
  ['General', 'general', 'مسائل عامة', 'General'],
  ['HIV - Aids', 'hiv-aids', 'فيروس نقص المناعة البشرية والإيدز', 'HIV and AIDS'],
  ['Human rights defenders', 'hr-defenders', 'المدافعون عن حقوق الإنسان', 'Human rights defenders'],
  ['Human rights education and training', 'hr-education', 'التثقيف والتدريب في مجال حقوق الإنسان', 'Human rights education and training'],
  ['Human rights violations by state agents', 'state-agent-violations', 'انتهاكات حقوق الإنسان من جانب موظفي الدولة', 'Human rights violations by state agents'],
  ['Impunity', 'impunity', 'الإفلات من العقاب', 'Impunity'],
  ['Indigenous peoples', 'indigenous-peoples', 'الشعوب الأصلية', 'Indigenous peoples'],
  ['Internally displaced persons', 'idps', 'المشردون داخلياً', 'Internally displaced persons'],
  ['International humanitarian law', 'ihl', 'القانون الإنساني الدولي', 'International humanitarian law'],
  ['International instruments', 'international-instruments', 'قبول المعايير الدولية', 'Acceptance of international norms'],
  ['Justice', 'justice', 'إقامة العدل والمحاكمة العادلة', 'Administration of justice and fair trial'],
  ['Labour', 'labour', 'العمل وحقوق العمال', 'Labour rights'],
  ['Migrants', 'migrants', 'المهاجرون', 'Migrants'],
  ['Minorities', 'minorities', 'الأقليات', 'Minorities'],
  ['NHRI', 'nhri', 'المؤسسة الوطنية لحقوق الإنسان', 'National human rights institution'],
  ['National plan of action', 'national-action-plan', 'خطة العمل الوطنية لحقوق الإنسان', 'National plan of action'],
  ['Other', 'other', 'مسائل أخرى', 'Other issues'],
  ['Poverty', 'poverty', 'الفقر', 'Poverty'],
  ['Public security', 'public-security', 'الأمن العام', 'Public security'],
  ['Racial discrimination', 'racial-discrimination', 'التمييز العنصري', 'Racial discrimination'],
  ['Right to education', 'education', 'الحق في التعليم', 'Right to education'],
  ['Right to food', 'food', 'الحق في الغذاء', 'Right to food'],
  ['Right to health', 'health', 'الحق في الصحة', 'Right to health'],
  ['Right to housing', 'housing', 'الحق في السكن اللائق', 'Right to housing'],
  ['Right to land', 'land', 'الحق في الأرض', 'Right to land'],
  ['Right to water', 'water', 'الحق في المياه', 'Right to water'],
  ['Rights of the Child', 'child-rights', 'حقوق الطفل', 'Rights of the child'],
  ['Sexual Orientation and Gender Identity', 'sogi', 'التوجه الجنسي والهوية الجنسانية', 'Sexual orientation and gender identity'],
  ['Special procedures', 'special-procedures', 'الإجراءات الخاصة', 'Special procedures'],
  ['Technical assistance and cooperation', 'technical-cooperation', 'المساعدة التقنية والتعاون', 'Technical assistance and cooperation'],
  ['Torture and other CID treatment', 'torture', 'التعذيب والمعاملة القاسية', 'Torture and other cruel treatment'],
  ['Trafficking', 'trafficking', 'الاتجار بالبشر', 'Trafficking in persons'],
  ['Treaty bodies', 'treaty-bodies', 'هيئات المعاهدات', 'Treaty bodies'],
  ['UPR process', 'upr-process', 'عملية الاستعراض الدوري الشامل', 'UPR process'],
  ["Women's rights", 'women-rights', 'حقوق المرأة', "Women's rights"],
  // spellings of later exports, onto the same themes
  ['HIV-Aids', 'hiv-aids', 'فيروس نقص المناعة البشرية والإيدز', 'HIV and AIDS'],
  ['Asylum-seekers and refugees', 'asylum-refugees', 'ملتمسو اللجوء واللاجئون', 'Asylum-seekers and refugees'],
  ['Persons with disabilities', 'disability', 'حقوق الأشخاص ذوي الإعاقة', 'Rights of persons with disabilities'],
  ['Freedom of religion or belief', 'religion-belief', 'حرية الدين والمعتقد', 'Freedom of religion and belief'],
  ['Right to water and sanitation', 'water', 'الحق في المياه', 'Right to water'],
  ['Enforced disappearance', 'enforced-disappearance', 'الاختفاء القسري', 'Enforced disappearance'],
];

/** As import.service.ts's themeLabelKey (frozen here: a migration never imports application code). */
const labelKey = (label: string): string => label.normalize('NFC').replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('theme_mappings').addColumn('theme_code', 'text').execute();
  await db.schema.alterTable('theme_mappings').addColumn('theme_ar', 'text').execute();
  await db.schema.alterTable('theme_mappings').addColumn('theme_en', 'text').execute();

  const now = new Date().toISOString();
  const saved = new Set((await db.selectFrom('theme_mappings').select('label').where('source', '=', 'upr-info').execute()).map((r: { label: string }) => r.label));
  const rows = [];
  for (const [issue, code, ar, en] of UPR_INFO_ISSUES) {
    const label = labelKey(issue);
    if (saved.has(label)) continue;
    saved.add(label);
    rows.push({ source: 'upr-info', label, term_id: null, theme_code: code, theme_ar: ar, theme_en: en, version: 1, updated_by: null, created_at: now, updated_at: now });
  }
  if (rows.length) await db.insertInto('theme_mappings').values(rows).execute();
}
