/** The one error type. `code` is stable and translated by clients; `message` is for humans and logs. */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (message = 'You need to sign in.') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'You are not allowed to do this.', code = 'forbidden') => new AppError(403, code, message);
export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found.`);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);

/** Arabic messages for the codes the API sends, so API users get clear errors in both languages. */
export const ARABIC_MESSAGES: Record<string, string> = {
  unauthenticated: 'يجب تسجيل الدخول.',
  forbidden: 'لا تملك صلاحية القيام بهذا الإجراء.',
  not_found: 'العنصر المطلوب غير موجود.',
  route_not_found: 'المسار المطلوب غير موجود.',
  validation_failed: 'البيانات المرسلة غير صالحة.',
  invalid_json: 'نص JSON المرسل غير صالح.',
  invalid_credentials: 'البريد الإلكتروني أو كلمة المرور غير صحيحة.',
  too_many_attempts: 'محاولات كثيرة فاشلة. حاول مجدداً لاحقاً.',
  csrf_failed: 'رمز الحماية (CSRF) مفقود أو غير صحيح. أعد تحميل الصفحة.',
  version_conflict: 'عدّل مستخدم آخر هذا السجل في الوقت نفسه. أعد التحميل ثم أعد المحاولة.',
  duplicate: 'يوجد سجل بالقيمة نفسها.',
  payload_too_large: 'حجم البيانات المرسلة أكبر من المسموح.',
  unsupported_media_type: 'نوع المحتوى غير مدعوم.',
  nul_character: 'لا يجوز أن يحوي النص محرف الصفر الخفي.',
  wrong_current_password: 'كلمة المرور الحالية غير صحيحة.',
  download_failed: 'تعذّر تنزيل الملف من ذلك العنوان.',
  invalid_url: 'هذا ليس عنوان ويب صالحاً (http أو https).',
  download_host_not_allowed: 'لا يُسمح بالتنزيل من هذا الموقع: يحدّد مدير النظام المواقع المسموح بها.',
  download_too_large: 'الملف المراد تنزيله أكبر من الحد المسموح.',
  download_timeout: 'استغرق التنزيل وقتاً أطول من المسموح.',
  interrupted: 'توقف الاستيراد قبل اكتماله لأن الخادم توقف، ولم يُكتب منه شيء. أعد تشغيله.',
  weak_password: 'كلمة المرور ضعيفة: استخدم 10 أحرف على الأقل.',
  too_deep: 'البيانات المرسلة متداخلة إلى عمق أكبر من المسموح.',
  internal_error: 'حدث خطأ داخلي. أُبلغ الفريق التقني.',
  invalid_transition: 'لا يسمح سير العمل بهذا الانتقال لحالة التحديث.',
  not_editable: 'لم يعد هذا التحديث قابلاً للتعديل.',
  file_too_large: 'حجم الملف أكبر من الحد المسموح (10 ميغابايت).',
  unsupported_file_type: 'نوع الملف غير مقبول: يُقبل PDF وWord (DOCX) وExcel (XLSX) والصور فقط.',
  invalid_filename: 'اسم الملف غير صالح.',
  assignment_has_updates: 'لا يمكن حذف تكليف له تحديثات.',
  entity_required: 'اختر جهة.',
  octet_stream_required: 'أرسل الملف كما هو بنوع المحتوى application/octet-stream.',
  empty_file: 'الملف فارغ: لا يحوي صف عناوين ولا بيانات.',
  bad_encoding: 'تعذّرت قراءة الملف كنص: تحقق من نوع الملف أو ترميز الأحرف.',
  bad_csv: 'تعذّرت قراءة ملف CSV.',
  bad_xlsx: 'تعذّرت قراءة ملف Excel.',
  invalid_zip: 'الملف ليس ملفاً مضغوطاً صالحاً (XLSX أو DOCX): قد يكون مقطوعاً أو تالفاً.',
  zip_bomb: 'رُفض الملف: حجمه بعد فك الضغط أكبر من المسموح.',
  cell_too_large: 'في الملف خلية أكبر من الحد المسموح (1 ميغابايت).',
  // importer input checks (src/imports/limits.ts, ooxml-guard.ts, parse-worker.ts)
  too_many_columns: 'في الملف أعمدة أكثر من الحد المسموح.',
  header_too_large: 'صف العناوين في الملف أطول من الحد المسموح (64 كيلوبايت).',
  row_too_large: 'في الملف صف أو سجل أكبر من الحد المسموح.',
  file_too_complex: 'الملف أكبر أو أعقد من أن تمكن قراءته: قسّمه، أو احذف الأعمدة الزائدة والخلايا الطويلة جداً. لم يتغير شيء.',
  bad_xml: 'جزء داخلي من ملف Word أو Excel تالف: بنية XML فيه غير سليمة.',
  bad_docx: 'تعذّرت قراءة ملف Word (DOCX).',
  not_docx: 'الملف ليس ملف Word (DOCX) صالحاً.',
  unreadable_file: 'تعذّرت قراءة الملف: قد يكون تالفاً.',
  no_table: 'لا يحوي المستند جدول توصيات فيه عمودا "التوصية" و"الموقف".',
  missing_value: 'في الملف خلية مطلوبة فارغة.',
  missing_text: 'في الملف توصية بلا نص.',
  missing_key: 'في الملف صف بلا رقم فقرة ولا معرّف خارجي.',
  bad_value: 'في الملف قيمة غير مقبولة.',
  invalid_record: 'أحد السجلات ليس كائن JSON.',
  mapping_required: 'اختر مطابقة أعمدة لهذا الملف.',
  no_recommendations: 'لم يُعثر في النص على توصيات مرقمة.',
  empty_import: 'لا يحوي الملف أي توصية. لم يتغير شيء.',
  import_invalid: 'لم يُستورد الملف: فيه سجلات غير صالحة. لم يتغير شيء.',
  invalid_mapping: 'مطابقة الأعمدة غير صالحة: راجع الحقول المذكورة.',
  invalid_mapping_name: 'اسم المطابقة غير صالح: استخدم حروفاً لاتينية صغيرة وأرقاماً و"-" و"_" (64 حرفاً على الأكثر).',
  unknown_column: 'تذكر المطابقة أعمدة غير موجودة في ملف العيّنة.',
  mapping_exists: 'توجد مطابقة بهذا الاسم: اختر اسماً آخر.',
  empty_selection: 'لا توجد توصيات تطابق هذا الاختيار: لا شيء للتصدير. غيّر البحث أو عوامل التصفية.',
  body_required: 'حدّد الهيئة التي يُقدَّم إليها الالتزام.',
  unknown_body: 'الهيئة المذكورة غير معروفة.',
  unknown_user: 'المسؤول المحدد ليس مستخدماً فاعلاً.',
  unknown_document: 'وثيقة مصدر غير معروفة.',
  duplicate_source: 'ذُكرت الوثيقة نفسها أكثر من مرة.',
  obligation_has_reports: 'لهذا الالتزام مسودة تقرير: لا يمكن حذفه.',
  invalid_period: 'تنتهي الفترة قبل أن تبدأ.',
  period_too_long: 'اطلب 400 يوم على الأكثر في المرة الواحدة.',
  no_template: 'لا يوجد بعد قالب تقرير لهذا النوع من الالتزامات.',
  obligation_without_recommendations: 'لا يغطي الالتزام أي توصية: أضف وثائقه المصدر (وفقراتها) أولاً.',
  invalid_limit: 'حد الكلمات المختار لا ينطبق على هذا النوع من التقارير.',
  report_exists: 'لهذا الالتزام مسودة تقرير بالفعل.',
  report_locked: 'لم يعد هذا التقرير قابلاً للتعديل.',
  invalid_report_transition: 'لا يسمح سير عمل التقرير بهذا الانتقال من حالته الحالية.',
  nothing_to_change: 'أرسل النص العربي أو الإنجليزي.',
  no_source_change: 'لم تتغير مصادر هذا القسم منذ آخر تجميع.',
  comment_resolved: 'حُلّت هذه الملاحظة من قبل.',
  open_comments: 'توجد ملاحظات مراجعة لم تُحلّ بعد.',
  symbol_required: 'أدخل رمز وثيقة الأمم المتحدة للتقرير المقدَّم.',
  submitted_on_required: 'أدخل تاريخ تقديم التقرير.',
  pdf_unavailable: 'تحويل PDF غير متاح على هذا الخادم (LibreOffice غير مثبت): نزّل ملف Word (DOCX).',
  export_failed: 'تعذّر إنشاء الملف.',
  mapping_preset_readonly: 'هذه مطابقة جاهزة مرفقة بالنظام: لا يمكن تعديلها أو حذفها.',
  // national action plan (issue 11)
  plan_adopted: 'هذا الإصدار من الخطة معتمد ومجمَّد: أنشئ إصداراً جديداً (مسودة) لتعديله.',
  plan_not_adopted: 'لا يُنسخ إلى إصدار جديد إلا إصدار معتمد أو مؤرشف؛ هذه المسودة قابلة للتعديل مباشرة.',
  draft_version_exists: 'يوجد إصدار مسودة لهذه الخطة بالفعل.',
  invalid_plan_transition: 'لا يسمح سير عمل الخطة بهذا الانتقال.',
  unknown_entity: 'جهة غير معروفة أو مؤرشفة.',
  unknown_recommendation: 'توصية غير موجودة.',
  unknown_cluster: 'مجموعة توصيات غير موجودة.',
  unknown_sdg_target: 'غاية غير معروفة من غايات التنمية المستدامة.',
  duplicate_code: 'هذا الرمز مستخدم في الخطة نفسها.',
  wrong_plan: 'العنصر المختار ينتمي إلى خطة أخرى.',
  empty_cluster: 'لا تضم هذه المجموعة أي توصية.',
  unit_required: 'حدّد وحدة القياس لخط الأساس أو للقيمة المستهدفة.',
  different_plans: 'هذان ليسا إصدارين من الخطة نفسها.',
  plan_import_invalid: 'في ملف الخطة أخطاء (مذكورة بالورقة والصف والعمود)؛ لم يُستورد شيء.',
  // real data (issue 13, imports)
  unknown_theme: 'المحور المختار غير موجود.',
  invalid_label: 'التسمية فارغة.',
  country_not_in_file: 'لا يتضمن الملف أي صف عن الدولة المحددة (اكتب اسم الدولة موضع الاستعراض بالإنجليزية كما في الملف).',
};

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}
