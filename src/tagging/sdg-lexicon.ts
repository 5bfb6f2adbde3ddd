/**
 * A small hand-written lexicon of the 17 SDG goals in English and Arabic: the words and phrases by which a human
 * rights recommendation speaks of a goal's targets (reference data, reviewed with the code; see docs/TAGGING.md).
 *
 * How it was written: from the SDG goal and target titles themselves (shared/data/sdg) and the human rights each
 * target names, e.g. 10.2 (inclusion irrespective of age, sex, disability, race, ethnicity, origin, religion), 10.3
 * (discriminatory laws), 10.7 (migration), 16.1–16.10 and 16.a–b (violence, abuse of children, rule of law and
 * access to justice, corruption, institutions, legal identity, fundamental freedoms, national institutions,
 * non-discriminatory laws), 8.7–8.8 (forced and child labour, trafficking, migrant workers), 5.1–5.6, 4.7 (human
 * rights education), 17.9 and 17.18 (capacity-building, disaggregated data). It was written once, before its effect
 * on any list was measured, and not changed after: no entry names a country, a people or a list's own wording.
 *
 * Use: each phrase is one zero-shot text of its goal beside the goal's target titles (TaggerModel's SDG prior).
 */
export const SDG_LEXICON: Readonly<Record<string, { en: readonly string[]; ar: readonly string[] }>> = {
  '1': {
    en: ['poverty', 'poor', 'social protection', 'social security', 'social assistance', 'minimum income'],
    ar: ['الفقر', 'الفقراء', 'الحماية الاجتماعية', 'الضمان الاجتماعي', 'المساعدة الاجتماعية'],
  },
  '2': {
    en: ['hunger', 'food', 'nutrition', 'malnutrition', 'agriculture', 'farmers'],
    ar: ['الجوع', 'الغذاء', 'التغذية', 'سوء التغذية', 'الزراعة', 'المزارعين'],
  },
  '3': {
    en: ['health', 'health care', 'medical', 'HIV', 'AIDS', 'maternal mortality', 'disease', 'drug use', 'mental health', 'sexual and reproductive health'],
    ar: ['الصحة', 'الرعاية الصحية', 'الطبية', 'فيروس نقص المناعة البشرية', 'الإيدز', 'وفيات الأمهات', 'الأمراض', 'المخدرات', 'الصحة العقلية', 'الصحة الجنسية والإنجابية'],
  },
  '4': {
    en: ['education', 'school', 'teachers', 'students', 'literacy', 'curricula', 'human rights education'],
    ar: ['التعليم', 'المدارس', 'المعلمين', 'الطلاب', 'محو الأمية', 'المناهج الدراسية', 'التثقيف في مجال حقوق الإنسان'],
  },
  '5': {
    en: ['women', 'girls', 'gender equality', 'gender', 'female genital mutilation', 'child marriage', 'early marriage', 'forced marriage', 'domestic violence', 'violence against women', 'sexual harassment'],
    ar: ['المرأة', 'النساء', 'الفتيات', 'المساواة بين الجنسين', 'الجنساني', 'تشويه الأعضاء التناسلية للإناث', 'زواج الأطفال', 'الزواج المبكر', 'الزواج القسري', 'العنف المنزلي', 'العنف ضد المرأة', 'التحرش الجنسي'],
  },
  '6': {
    en: ['water', 'drinking water', 'sanitation'],
    ar: ['المياه', 'مياه الشرب', 'الصرف الصحي'],
  },
  '7': {
    en: ['energy', 'electricity'],
    ar: ['الطاقة', 'الكهرباء'],
  },
  '8': {
    en: ['work', 'labour', 'employment', 'workers', 'migrant workers', 'domestic workers', 'forced labour', 'child labour', 'trafficking in persons', 'unemployment', 'wages', 'trade unions', 'decent work'],
    ar: ['العمل', 'العمال', 'العمالة', 'التوظيف', 'العمال المهاجرين', 'العمال المنزليين', 'العمل الجبري', 'عمل الأطفال', 'الاتجار بالأشخاص', 'البطالة', 'الأجور', 'النقابات', 'العمل اللائق'],
  },
  '9': {
    en: ['infrastructure', 'industry', 'internet access', 'innovation'],
    ar: ['البنية التحتية', 'الصناعة', 'الوصول إلى الإنترنت', 'الابتكار'],
  },
  '10': {
    en: ['discrimination', 'non-discrimination', 'equality', 'inequality', 'racial discrimination', 'racism', 'xenophobia', 'ethnic', 'minorities', 'migrants', 'migration', 'refugees', 'asylum seekers', 'persons with disabilities', 'social inclusion', 'hate speech', 'sexual orientation'],
    ar: ['التمييز', 'عدم التمييز', 'المساواة', 'عدم المساواة', 'التمييز العنصري', 'العنصرية', 'كره الأجانب', 'الإثنية', 'الأقليات', 'المهاجرين', 'الهجرة', 'اللاجئين', 'ملتمسي اللجوء', 'الأشخاص ذوي الإعاقة', 'الإدماج الاجتماعي', 'خطاب الكراهية', 'الميل الجنسي'],
  },
  '11': {
    en: ['housing', 'adequate housing', 'homeless', 'forced evictions', 'slums', 'cultural heritage', 'disaster'],
    ar: ['السكن', 'السكن اللائق', 'المشردين', 'الإخلاء القسري', 'الأحياء الفقيرة', 'التراث الثقافي', 'الكوارث'],
  },
  '12': {
    en: ['sustainable consumption', 'waste', 'chemicals'],
    ar: ['الاستهلاك المستدام', 'النفايات', 'المواد الكيميائية'],
  },
  '13': {
    en: ['climate change', 'climate', 'greenhouse gas emissions', 'Paris Agreement'],
    ar: ['تغير المناخ', 'المناخ', 'انبعاثات غازات الدفيئة', 'اتفاق باريس'],
  },
  '14': {
    en: ['oceans', 'marine', 'fisheries', 'fishers'],
    ar: ['المحيطات', 'البحرية', 'مصائد الأسماك', 'الصيادين'],
  },
  '15': {
    en: ['forests', 'biodiversity', 'land degradation', 'environment'],
    ar: ['الغابات', 'التنوع البيولوجي', 'تدهور الأراضي', 'البيئة'],
  },
  '16': {
    en: [
      'justice', 'access to justice', 'judiciary', 'courts', 'fair trial', 'rule of law', 'torture', 'ill-treatment', 'detention', 'prisons', 'death penalty', 'police', 'impunity', 'corruption',
      'freedom of expression', 'freedom of opinion', 'freedom of assembly', 'freedom of association', 'freedom of religion', 'journalists', 'media', 'human rights defenders', 'civil society',
      'national human rights institution', 'Paris Principles', 'birth registration', 'legal identity', 'statelessness', 'nationality', 'violence', 'armed conflict', 'terrorism',
      'enforced disappearance', 'access to information', 'accountability',
    ],
    ar: [
      'العدالة', 'الوصول إلى العدالة', 'القضاء', 'المحاكم', 'المحاكمة العادلة', 'سيادة القانون', 'التعذيب', 'سوء المعاملة', 'الاحتجاز', 'السجون', 'عقوبة الإعدام', 'الشرطة', 'الإفلات من العقاب', 'الفساد',
      'حرية التعبير', 'حرية الرأي', 'حرية التجمع', 'حرية تكوين الجمعيات', 'حرية الدين', 'الصحفيين', 'وسائط الإعلام', 'المدافعين عن حقوق الإنسان', 'المجتمع المدني',
      'المؤسسة الوطنية لحقوق الإنسان', 'مبادئ باريس', 'تسجيل المواليد', 'الهوية القانونية', 'انعدام الجنسية', 'الجنسية', 'العنف', 'النزاع المسلح', 'الإرهاب',
      'الاختفاء القسري', 'الحصول على المعلومات', 'المساءلة',
    ],
  },
  '17': {
    en: ['international cooperation', 'development assistance', 'official development assistance', 'technical assistance', 'capacity-building', 'statistics', 'data collection', 'disaggregated data', 'right to development'],
    ar: ['التعاون الدولي', 'المساعدة الإنمائية', 'المساعدة الإنمائية الرسمية', 'المساعدة التقنية', 'بناء القدرات', 'الإحصاءات', 'جمع البيانات', 'البيانات المصنفة', 'الحق في التنمية'],
  },
};
