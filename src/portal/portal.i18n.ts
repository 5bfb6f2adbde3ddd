import type { Lang } from './portal.schema.ts';

/** The portal's own words, in both languages (the portal is rendered on the server, outside the web app). */
const WORDS = {
  siteName: { ar: 'رصد — البوابة العامة', en: 'Rasd — public portal' },
  siteTagline: {
    ar: 'متابعة الدولة لتوصيات آليات حقوق الإنسان في الأمم المتحدة وما نُفّذ منها',
    en: "The state's follow-up of the recommendations of the UN human rights mechanisms, and their implementation",
  },
  skip: { ar: 'انتقل إلى المحتوى', en: 'Skip to content' },
  home: { ar: 'الرئيسية', en: 'Home' },
  recommendations: { ar: 'التوصيات', en: 'Recommendations' },
  openData: { ar: 'البيانات المفتوحة', en: 'Open data' },
  consultations: { ar: 'المشاورات', en: 'Consultations' },
  publicComments: { ar: 'ما قاله أصحاب المصلحة في المشاورات', en: 'What stakeholders said in consultations' },
  feed: { ar: 'موجز التغييرات (Atom)', en: 'Changes feed (Atom)' },
  otherLang: { ar: 'English', en: 'العربية' },
  otherLangLabel: { ar: 'Read this page in English', en: 'اقرأ هذه الصفحة بالعربية' },
  signIn: { ar: 'دخول الموظفين', en: 'Staff sign-in' },
  published: { ar: 'توصية منشورة', en: 'published recommendations' },
  progress: { ar: 'التقدم في لمحة', en: 'Progress at a glance' },
  progressIntro: {
    ar: 'حالة تنفيذ التوصيات المنشورة، حسب الآلية والموضوع وأهداف التنمية المستدامة.',
    en: 'Implementation status of the published recommendations, by mechanism, theme and Sustainable Development Goal.',
  },
  byStatus: { ar: 'حسب حالة التنفيذ', en: 'By implementation status' },
  byMechanism: { ar: 'حسب الآلية', en: 'By mechanism' },
  byBody: { ar: 'حسب الهيئة', en: 'By body' },
  byTheme: { ar: 'حسب الموضوع', en: 'By theme' },
  bySdg: { ar: 'حسب أهداف التنمية المستدامة', en: 'By Sustainable Development Goal' },
  total: { ar: 'المجموع', en: 'Total' },
  count: { ar: 'العدد', en: 'Count' },
  share: { ar: 'النسبة', en: 'Share' },
  search: { ar: 'بحث', en: 'Search' },
  searchLabel: { ar: 'ابحث في نصوص التوصيات', en: 'Search the recommendations' },
  results: { ar: 'النتائج', en: 'Results' },
  found: { ar: 'عدد التوصيات المطابقة', en: 'Matching recommendations' },
  noResults: { ar: 'لا توجد توصيات منشورة تطابق هذا البحث.', en: 'No published recommendation matches this search.' },
  filters: { ar: 'التصفية', en: 'Filters' },
  clearFilters: { ar: 'إزالة كل عوامل التصفية', en: 'Clear all filters' },
  remove: { ar: 'إزالة', en: 'remove' },
  selected: { ar: 'مختار', en: 'selected' },
  previous: { ar: 'السابق', en: 'Previous' },
  next: { ar: 'التالي', en: 'Next' },
  page: { ar: 'الصفحة', en: 'Page' },
  of: { ar: 'من', en: 'of' },
  source: { ar: 'المصدر', en: 'Source' },
  paragraph: { ar: 'الفقرة', en: 'Paragraph' },
  document: { ar: 'الوثيقة', en: 'Document' },
  documentDate: { ar: 'تاريخ الوثيقة', en: 'Document date' },
  body: { ar: 'الهيئة', en: 'Body' },
  mechanism: { ar: 'الآلية', en: 'Mechanism' },
  kindLabel: { ar: 'النوع', en: 'Type' },
  position: { ar: 'موقف الدولة', en: "State's position" },
  status: { ar: 'حالة التنفيذ', en: 'Implementation status' },
  since: { ar: 'منذ', en: 'since' },
  statusHistory: { ar: 'تاريخ الحالة', en: 'Status history' },
  date: { ar: 'التاريخ', en: 'Date' },
  recommendingStates: { ar: 'الدول الموصية', en: 'Recommending states' },
  cycle: { ar: 'دورة الاستعراض', en: 'UPR cycle' },
  themes: { ar: 'المواضيع', en: 'Themes' },
  affected: { ar: 'الفئات المعنية', en: 'Affected persons' },
  sdgs: { ar: 'أهداف التنمية المستدامة', en: 'Sustainable Development Goals' },
  entities: { ar: 'الجهات المسؤولة', en: 'Responsible entities' },
  lead: { ar: 'جهة رئيسية', en: 'lead' },
  supporting: { ar: 'جهة مساندة', en: 'supporting' },
  cluster: { ar: 'مجموعة التوصيات', en: 'Cluster' },
  clusterIntro: { ar: 'توصيات من آليات ودورات مختلفة تطلب الشيء نفسه.', en: 'Recommendations from different mechanisms and cycles asking for the same thing.' },
  updates: { ar: 'ما أُنجز (تحديثات معتمدة)', en: 'What has been done (approved updates)' },
  noUpdates: { ar: 'لم يُنشر بعد أي تحديث عن هذه التوصية.', en: 'No update on this recommendation has been published yet.' },
  period: { ar: 'الفترة', en: 'Period' },
  approvedOn: { ar: 'اعتُمد في', en: 'Approved on' },
  measures: { ar: 'التدابير المتخذة', en: 'Measures taken' },
  indicators: { ar: 'المؤشرات', en: 'Indicators' },
  text: { ar: 'النص', en: 'Text' },
  textIn: { ar: 'النص باللغة', en: 'Text in' },
  original: { ar: 'الأصل', en: 'original' },
  sourceLink: { ar: 'الوثيقة على موقع الأمم المتحدة', en: 'The document on the UN website' },
  seeAll: { ar: 'عرض توصياتها المنشورة', en: 'See its published recommendations' },
  bodies: { ar: 'الهيئات', en: 'Bodies' },
  notFoundTitle: { ar: 'الصفحة غير موجودة', en: 'Page not found' },
  notFoundText: {
    ar: 'لا توجد صفحة منشورة بهذا العنوان. ربما أُزيلت من البوابة أو لم تُنشر بعد.',
    en: 'There is no published page at this address. It may have been withdrawn from the portal or not published yet.',
  },
  backHome: { ar: 'العودة إلى الصفحة الرئيسية للبوابة', en: 'Back to the portal home page' },
  dataTitle: { ar: 'البيانات المفتوحة وقاموس البيانات', en: 'Open data and data dictionary' },
  dataIntro: {
    ar: 'يمكن تنزيل مجموعة التوصيات المنشورة كاملةً بصيغتي CSV (بترميز UTF-8) وJSON، وتُحدَّث مع كل تغيير.',
    en: 'The whole set of published recommendations can be downloaded as CSV (UTF-8) and JSON, updated with every change.',
  },
  licence: { ar: 'الترخيص', en: 'Licence' },
  licenceText: {
    ar: 'تُتاح هذه البيانات بموجب ترخيص المشاع الإبداعي نسب المصنَّف 4.0 الدولي (CC BY 4.0): يجوز نسخها وتوزيعها وتعديلها لأي غرض بشرط نسبتها إلى مصدرها.',
    en: 'These data are available under the Creative Commons Attribution 4.0 International licence (CC BY 4.0): you may copy, share and adapt them for any purpose, provided you credit the source.',
  },
  downloads: { ar: 'التنزيلات', en: 'Downloads' },
  dictionary: { ar: 'قاموس البيانات', en: 'Data dictionary' },
  jsonNote: {
    ar: 'في ملف JSON تأتي الحقول status_label وentities وcluster بلغتين (باللاحقتين _ar و_en)، والقوائم مصفوفات.',
    en: 'In the JSON file, status_label, entities and cluster come in both languages (suffixes _ar and _en), and lists are arrays.',
  },
  activeFilters: { ar: 'عوامل التصفية المختارة', en: 'Active filters' },
  field: { ar: 'الحقل', en: 'Field' },
  meaning: { ar: 'المعنى', en: 'Meaning' },
  feedTitle: { ar: 'تغييرات حالة التوصيات المنشورة', en: 'Status changes of published recommendations' },
  statusChanged: { ar: 'تغيّرت الحالة', en: 'Status changed' },
  none: { ar: '—', en: '—' },
  footer: {
    ar: 'تُعرض هنا التوصيات التي قررت اللجنة الوطنية نشرها فقط، والتحديثات المعتمدة التي أُذن بنشرها.',
    en: 'Only the recommendations the national committee chose to publish are shown here, with the approved updates cleared for publication.',
  },
  // the action plan (published versions only)
  plans: { ar: 'خطة العمل', en: 'Action plan' },
  plansTitle: { ar: 'خطة العمل الوطنية لحقوق الإنسان', en: 'National human rights action plan' },
  plansIntro: {
    ar: 'إصدارات خطة العمل التي اعتمدتها الدولة ونشرتها، بمحاورها وأهدافها وإجراءاتها ومؤشراتها.',
    en: 'The versions of the action plan the state adopted and published, with their pillars, objectives, actions and indicators.',
  },
  noPlans: { ar: 'لم تُنشر بعد أي خطة عمل.', en: 'No action plan has been published yet.' },
  planVersion: { ar: 'الإصدار', en: 'Version' },
  planPeriod: { ar: 'مدة الخطة', en: 'Plan period' },
  adoptedOn: { ar: 'اعتُمدت في', en: 'Adopted on' },
  planArchived: { ar: 'حلّ محلّ هذا الإصدار إصدارٌ أحدث.', en: 'A newer version has replaced this one.' },
  overallProgress: { ar: 'التقدم العام', en: 'Overall progress' },
  progressNote: {
    ar: 'يُحسب التقدم من حالة كل إجراء ومن آخر قيمة معتمدة لكل مؤشر من مؤشراته.',
    en: 'Progress is computed from each action’s status and the latest approved value of each of its indicators.',
  },
  pillars: { ar: 'المحاور', en: 'Pillars' },
  pillar: { ar: 'المحور', en: 'Pillar' },
  objectives: { ar: 'الأهداف', en: 'Objectives' },
  objective: { ar: 'الهدف', en: 'Objective' },
  actions: { ar: 'الإجراءات', en: 'Actions' },
  actionsCount: { ar: 'عدد الإجراءات', en: 'Actions' },
  progressShort: { ar: 'التقدم', en: 'Progress' },
  leadEntity: { ar: 'الجهة المسؤولة', en: 'Lead entity' },
  timeframe: { ar: 'الإطار الزمني', en: 'Timeframe' },
  actionStatus: { ar: 'حالة الإجراء', en: 'Action status' },
  baseline: { ar: 'خط الأساس', en: 'Baseline' },
  target: { ar: 'المستهدف', en: 'Target' },
  approvedValues: { ar: 'القيم المعتمدة', en: 'Approved values' },
  noValues: { ar: 'لا توجد قيمة معتمدة بعد', en: 'No approved value yet' },
  indicator: { ar: 'المؤشر', en: 'Indicator' },
  answers: { ar: 'التوصيات التي يستجيب لها', en: 'Recommendations it answers' },
  answersClusters: { ar: 'مجموعات التوصيات التي يستجيب لها', en: 'Clusters it answers' },
  otherPillars: { ar: 'محاور الخطة', en: 'The plan’s pillars' },
  noActions: { ar: 'لا إجراءات تحت هذا الهدف.', en: 'No action under this objective.' },
  notMeasured: { ar: 'غير محسوب', en: 'not measured' },
  mainNav: { ar: 'التنقل الرئيسي', en: 'Main navigation' },
  breadcrumbs: { ar: 'مسار التصفح', en: 'Breadcrumbs' },
  pagination: { ar: 'التنقل بين الصفحات', en: 'Pagination' },
} as const satisfies Record<string, Record<Lang, string>>;

export type Word = keyof typeof WORDS;
export const t = (lang: Lang, key: Word): string => WORDS[key][lang];

export const FACET_NAMES: Record<string, Record<Lang, string>> = {
  mechanism: { ar: 'الآلية', en: 'Mechanism' },
  body: { ar: 'الهيئة', en: 'Body' },
  document: { ar: 'الوثيقة', en: 'Document' },
  cycle: { ar: 'دورة الاستعراض', en: 'UPR cycle' },
  position: { ar: 'موقف الدولة', en: "State's position" },
  kind: { ar: 'النوع', en: 'Type' },
  status: { ar: 'حالة التنفيذ', en: 'Implementation status' },
  theme: { ar: 'الموضوع', en: 'Theme' },
  affected: { ar: 'الفئات المعنية', en: 'Affected persons' },
  sdg: { ar: 'أهداف التنمية المستدامة', en: 'Sustainable Development Goals' },
  year: { ar: 'السنة', en: 'Year' },
  cluster: { ar: 'مجموعة التوصيات', en: 'Cluster' },
  entity: { ar: 'الجهة المسؤولة', en: 'Responsible entity' },
};

export const POSITIONS: Record<string, Record<Lang, string>> = {
  supported: { ar: 'مؤيَّدة', en: 'Supported' },
  noted: { ar: 'أُحيط بها علماً', en: 'Noted' },
  partially_supported: { ar: 'مؤيَّدة جزئياً', en: 'Partially supported' },
};

export const KINDS: Record<string, Record<Lang, string>> = {
  recommendation: { ar: 'توصية', en: 'Recommendation' },
  observation: { ar: 'ملاحظة أو شاغل', en: 'Concern or observation' },
  pledge: { ar: 'تعهد طوعي', en: 'Voluntary pledge' },
};

export const MEASURES: Record<string, Record<Lang, string>> = {
  legislation: { ar: 'تشريع', en: 'Legislation' },
  policy: { ar: 'سياسة', en: 'Policy' },
  programme: { ar: 'برنامج', en: 'Programme' },
  institution: { ar: 'مؤسسة', en: 'Institution' },
  training: { ar: 'تدريب', en: 'Training' },
  budget: { ar: 'ميزانية', en: 'Budget' },
  other: { ar: 'أخرى', en: 'Other' },
};

export const ACTION_STATUSES: Record<string, Record<Lang, string>> = {
  not_started: { ar: 'لم يبدأ', en: 'Not started' },
  on_track: { ar: 'يسير وفق الخطة', en: 'On track' },
  delayed: { ar: 'متأخر', en: 'Delayed' },
  completed: { ar: 'مكتمل', en: 'Completed' },
  cancelled: { ar: 'ملغى', en: 'Cancelled' },
};

/** Units of the plan's indicators held as codes (as the web app names them); another unit is shown as written. */
export const UNITS: Record<string, Record<Lang, string>> = {
  persons: { ar: 'شخصاً', en: 'persons' },
  campaigns: { ar: 'حملة', en: 'campaigns' },
  stages: { ar: 'مراحل', en: 'stages' },
  cases: { ar: 'حالة', en: 'cases' },
  reports: { ar: 'تقريراً', en: 'reports' },
  laws: { ar: 'قانوناً', en: 'laws' },
  days: { ar: 'يوماً', en: 'days' },
};

export const PLAN_STATUSES: Record<string, Record<Lang, string>> = {
  adopted: { ar: 'معتمدة', en: 'Adopted' },
  archived: { ar: 'مؤرشفة', en: 'Archived' },
  draft: { ar: 'مسودة', en: 'Draft' },
  consultation: { ar: 'قيد التشاور', en: 'In consultation' },
};

export const LANG_NAMES: Record<string, Record<Lang, string>> = {
  ar: { ar: 'العربية', en: 'Arabic' },
  en: { ar: 'الإنجليزية', en: 'English' },
  fr: { ar: 'الفرنسية', en: 'French' },
};

/** Dates as the reader expects them: YYYY-MM-DD (set left-to-right inside Arabic text by the markup). */
export const day = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '');

/** Digits as written in the page's language (Western digits in both, as the web app does). */
export const num = (lang: Lang, n: number): string => n.toLocaleString(lang === 'ar' ? 'ar-u-nu-latn' : 'en');
