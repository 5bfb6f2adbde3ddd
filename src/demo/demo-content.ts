/** The demo's own content: a fictional state, its ministries, and recommendation templates (ar + en). */

export const DEMO_STATE = { ar: 'دولة الواحة (بيانات تجريبية)', en: 'State of Al-Waha (demo data)', code: 'WAH' };

export const DEMO_ENTITIES: { code: string; ar: string; en: string }[] = [
  { code: 'MOFA', ar: 'وزارة الخارجية', en: 'Ministry of Foreign Affairs' },
  { code: 'MOJ', ar: 'وزارة العدل', en: 'Ministry of Justice' },
  { code: 'MOI', ar: 'وزارة الداخلية', en: 'Ministry of Interior' },
  { code: 'MOSA', ar: 'وزارة الشؤون الاجتماعية', en: 'Ministry of Social Affairs' },
  { code: 'MOH', ar: 'وزارة الصحة', en: 'Ministry of Health' },
  { code: 'MOE', ar: 'وزارة التربية', en: 'Ministry of Education' },
  { code: 'PAM', ar: 'الهيئة العامة للقوى العاملة', en: 'Public Authority for Manpower' },
  { code: 'MOINF', ar: 'وزارة الإعلام', en: 'Ministry of Information' },
  { code: 'SCFA', ar: 'المجلس الأعلى لشؤون الأسرة', en: 'Supreme Council for Family Affairs' },
  { code: 'CRS', ar: 'الجهاز المركزي لمعالجة أوضاع المقيمين بصورة غير قانونية', en: 'Central Agency for Illegal Residents' },
];

export const DEMO_THEMES: { code: string; ar: string; en: string }[] = [
  { code: 'international-instruments', ar: 'قبول المعايير الدولية', en: 'Acceptance of international norms' },
  { code: 'torture', ar: 'التعذيب والمعاملة القاسية', en: 'Torture and other cruel treatment' },
  { code: 'death-penalty', ar: 'عقوبة الإعدام', en: 'Death penalty' },
  { code: 'women-rights', ar: 'حقوق المرأة', en: "Women's rights" },
  { code: 'child-rights', ar: 'حقوق الطفل', en: 'Rights of the child' },
  { code: 'migrant-workers', ar: 'العمال المهاجرون', en: 'Migrant workers' },
  { code: 'trafficking', ar: 'الاتجار بالبشر', en: 'Trafficking in persons' },
  { code: 'expression', ar: 'حرية الرأي والتعبير', en: 'Freedom of opinion and expression' },
  { code: 'statelessness', ar: 'انعدام الجنسية', en: 'Statelessness' },
  { code: 'nhri', ar: 'المؤسسة الوطنية لحقوق الإنسان', en: 'National human rights institution' },
  { code: 'disability', ar: 'حقوق الأشخاص ذوي الإعاقة', en: 'Rights of persons with disabilities' },
  { code: 'justice', ar: 'إقامة العدل والمحاكمة العادلة', en: 'Administration of justice and fair trial' },
  { code: 'education', ar: 'الحق في التعليم', en: 'Right to education' },
  { code: 'health', ar: 'الحق في الصحة', en: 'Right to health' },
  { code: 'discrimination', ar: 'المساواة وعدم التمييز', en: 'Equality and non-discrimination' },
];

export const DEMO_AFFECTED: { code: string; ar: string; en: string }[] = [
  { code: 'women', ar: 'النساء والفتيات', en: 'Women and girls' },
  { code: 'children', ar: 'الأطفال', en: 'Children' },
  { code: 'migrants', ar: 'المهاجرون', en: 'Migrants' },
  { code: 'domestic-workers', ar: 'العمالة المنزلية', en: 'Domestic workers' },
  { code: 'stateless', ar: 'عديمو الجنسية', en: 'Stateless persons' },
  { code: 'detainees', ar: 'المحرومون من حريتهم', en: 'Persons deprived of their liberty' },
  { code: 'disabled', ar: 'الأشخاص ذوو الإعاقة', en: 'Persons with disabilities' },
  { code: 'journalists', ar: 'الصحفيون والمدافعون عن حقوق الإنسان', en: 'Journalists and human rights defenders' },
  { code: 'general', ar: 'عموم السكان', en: 'General' },
];

export interface Template {
  en: string;
  ar: string;
  themes: string[];
  affected: string[];
  sdgs: string[];
  entity: string;
}

/** Demands that recur across mechanisms and cycles, so the demo shows overlap as the real register does. */
export const TEMPLATES: Template[] = [
  {
    en: 'Ratify the Optional Protocol to the Convention against Torture and establish a national preventive mechanism',
    ar: 'التصديق على البروتوكول الاختياري لاتفاقية مناهضة التعذيب وإنشاء آلية وقائية وطنية',
    themes: ['international-instruments', 'torture'], affected: ['detainees'], sdgs: ['16.3', '16.a'], entity: 'MOFA',
  },
  {
    en: 'Abolish the kafala sponsorship system and allow migrant workers to change employers freely',
    ar: 'إلغاء نظام الكفالة والسماح للعمال المهاجرين بتغيير صاحب العمل بحرية',
    themes: ['migrant-workers'], affected: ['migrants'], sdgs: ['8.7', '8.8'], entity: 'PAM',
  },
  {
    en: 'Establish an official moratorium on executions with a view to abolishing the death penalty',
    ar: 'إعلان وقف رسمي لتنفيذ أحكام الإعدام بهدف إلغاء عقوبة الإعدام',
    themes: ['death-penalty', 'justice'], affected: ['general'], sdgs: ['16.1'], entity: 'MOJ',
  },
  {
    en: 'Amend the nationality law so that women can transmit their nationality to their children on an equal basis with men',
    ar: 'تعديل قانون الجنسية بما يتيح للمرأة نقل جنسيتها إلى أطفالها على قدم المساواة مع الرجل',
    themes: ['women-rights', 'statelessness', 'discrimination'], affected: ['women', 'children'], sdgs: ['5.1', '16.9'], entity: 'MOI',
  },
  {
    en: 'Extend labour law protection to domestic workers, including limits on working hours and weekly rest',
    ar: 'توسيع نطاق حماية قانون العمل ليشمل العمالة المنزلية، بما في ذلك تحديد ساعات العمل والراحة الأسبوعية',
    themes: ['migrant-workers', 'women-rights'], affected: ['domestic-workers', 'women'], sdgs: ['8.8', '5.4'], entity: 'PAM',
  },
  {
    en: 'Find a durable solution for stateless residents and guarantee their access to civil documents, education and health care',
    ar: 'إيجاد حل دائم لأوضاع المقيمين عديمي الجنسية وضمان حصولهم على الوثائق المدنية والتعليم والرعاية الصحية',
    themes: ['statelessness', 'education', 'health'], affected: ['stateless', 'children'], sdgs: ['16.9', '4.1', '3.8'], entity: 'CRS',
  },
  {
    en: 'Establish a national human rights institution in full compliance with the Paris Principles',
    ar: 'إنشاء مؤسسة وطنية لحقوق الإنسان تتوافق تماماً مع مبادئ باريس',
    themes: ['nhri'], affected: ['general'], sdgs: ['16.a'], entity: 'MOFA',
  },
  {
    en: 'Adopt a comprehensive law criminalizing domestic violence and provide shelters for victims',
    ar: 'اعتماد قانون شامل يجرّم العنف الأسري وتوفير دور إيواء للضحايا',
    themes: ['women-rights', 'child-rights'], affected: ['women', 'children'], sdgs: ['5.2', '16.1'], entity: 'SCFA',
  },
  {
    en: 'Raise the minimum age of marriage to 18 years for both girls and boys',
    ar: 'رفع الحد الأدنى لسن الزواج إلى ثمانية عشر عاماً للفتيات والفتيان',
    themes: ['child-rights', 'women-rights'], affected: ['children', 'women'], sdgs: ['5.3'], entity: 'MOJ',
  },
  {
    en: 'Review the provisions of the penal code and the cybercrime law that restrict freedom of expression',
    ar: 'مراجعة أحكام قانون الجزاء وقانون مكافحة الجرائم الإلكترونية التي تقيّد حرية التعبير',
    themes: ['expression'], affected: ['journalists'], sdgs: ['16.10'], entity: 'MOINF',
  },
  {
    en: 'Strengthen efforts to combat trafficking in persons, including the identification and protection of victims',
    ar: 'تعزيز الجهود الرامية إلى مكافحة الاتجار بالبشر، بما في ذلك تحديد هوية الضحايا وحمايتهم',
    themes: ['trafficking', 'migrant-workers'], affected: ['migrants', 'women'], sdgs: ['16.2', '8.7', '5.2'], entity: 'MOI',
  },
  {
    en: 'Incorporate into domestic law a definition of torture that is fully in line with article 1 of the Convention',
    ar: 'إدراج تعريف للتعذيب في التشريع الوطني يتوافق تماماً مع المادة 1 من الاتفاقية',
    themes: ['torture', 'justice'], affected: ['detainees'], sdgs: ['16.3'], entity: 'MOJ',
  },
  {
    en: 'Ensure inclusive education for children with disabilities in mainstream schools',
    ar: 'ضمان التعليم الدامج للأطفال ذوي الإعاقة في المدارس العادية',
    themes: ['disability', 'education', 'child-rights'], affected: ['disabled', 'children'], sdgs: ['4.5', '4.a'], entity: 'MOE',
  },
  {
    en: 'Ratify the International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families',
    ar: 'التصديق على الاتفاقية الدولية لحماية حقوق جميع العمال المهاجرين وأفراد أسرهم',
    themes: ['international-instruments', 'migrant-workers'], affected: ['migrants'], sdgs: ['10.7'], entity: 'MOFA',
  },
  {
    en: 'Guarantee access to health care for all migrant workers without discrimination',
    ar: 'ضمان حصول جميع العمال المهاجرين على الرعاية الصحية دون تمييز',
    themes: ['health', 'migrant-workers', 'discrimination'], affected: ['migrants'], sdgs: ['3.8', '10.2'], entity: 'MOH',
  },
  {
    en: 'Ensure that all detainees are brought promptly before a judge and have access to a lawyer from the outset of detention',
    ar: 'ضمان مثول جميع المحتجزين أمام قاضٍ على وجه السرعة وتمكينهم من الاستعانة بمحامٍ منذ بداية الاحتجاز',
    themes: ['justice', 'torture'], affected: ['detainees'], sdgs: ['16.3'], entity: 'MOI',
  },
  {
    en: 'Increase the participation of women in political and public life, including in decision-making positions',
    ar: 'زيادة مشاركة المرأة في الحياة السياسية والعامة، بما في ذلك في مواقع صنع القرار',
    themes: ['women-rights', 'discrimination'], affected: ['women'], sdgs: ['5.5'], entity: 'SCFA',
  },
  {
    en: 'Prohibit corporal punishment of children in all settings, including the home',
    ar: 'حظر العقوبة البدنية للأطفال في جميع الأماكن، بما في ذلك المنزل',
    themes: ['child-rights', 'torture'], affected: ['children'], sdgs: ['16.2'], entity: 'MOSA',
  },
  {
    en: 'Adopt a national action plan on human rights with measurable indicators and adequate resources',
    ar: 'اعتماد خطة عمل وطنية لحقوق الإنسان ذات مؤشرات قابلة للقياس وموارد كافية',
    themes: ['nhri', 'international-instruments'], affected: ['general'], sdgs: ['16.6', '16.7'], entity: 'MOFA',
  },
  {
    en: 'Continue to improve the accessibility of public buildings and transport for persons with disabilities',
    ar: 'مواصلة تحسين إمكانية وصول الأشخاص ذوي الإعاقة إلى المباني العامة ووسائل النقل',
    themes: ['disability'], affected: ['disabled'], sdgs: ['11.2', '11.7'], entity: 'MOSA',
  },
];

/** Openings that vary the wording the way different recommending states do. */
export const OPENINGS: { en: (s: string) => string; ar: (s: string) => string }[] = [
  { en: (s) => s, ar: (s) => s },
  { en: (s) => `Consider taking steps to ${s.charAt(0).toLowerCase()}${s.slice(1)}`, ar: (s) => `النظر في اتخاذ خطوات من أجل ${s}` },
  { en: (s) => `Continue its efforts to ${s.charAt(0).toLowerCase()}${s.slice(1)}`, ar: (s) => `مواصلة جهودها الرامية إلى ${s}` },
  { en: (s) => `Take the necessary measures to ${s.charAt(0).toLowerCase()}${s.slice(1)}`, ar: (s) => `اتخاذ التدابير اللازمة من أجل ${s}` },
];

export const RECOMMENDING_STATES: string[] = [
  'Norway', 'Brazil', 'Mexico', 'France', 'Germany', 'Tunisia', 'Jordan', 'Chile', 'Sierra Leone', 'Portugal',
  'Uruguay', 'Canada', 'Australia', 'Ireland', 'Indonesia', 'Morocco', 'Spain', 'Italy', 'Japan', 'Ghana',
];
