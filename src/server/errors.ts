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
  invalid_zip: 'الملف ليس ملف Excel (XLSX) صالحاً.',
  zip_bomb: 'رُفض الملف: حجمه بعد فك الضغط أكبر من المسموح.',
  cell_too_large: 'في الملف خلية أكبر من الحد المسموح (1 ميغابايت).',
  invalid_mapping: 'مطابقة الأعمدة غير صالحة: راجع الحقول المذكورة.',
  invalid_mapping_name: 'اسم المطابقة غير صالح: استخدم حروفاً لاتينية صغيرة وأرقاماً و"-" و"_" (64 حرفاً على الأكثر).',
  unknown_column: 'تذكر المطابقة أعمدة غير موجودة في ملف العيّنة.',
  mapping_exists: 'توجد مطابقة بهذا الاسم: اختر اسماً آخر.',
  mapping_preset_readonly: 'هذه مطابقة جاهزة مرفقة بالنظام: لا يمكن تعديلها أو حذفها.',
  // national action plan (issue 11)
  plan_adopted: 'هذا الإصدار من الخطة معتمد ومجمَّد: أنشئ إصداراً جديداً (مسودة) لتعديله.',
  plan_not_adopted: 'لا يُنسخ إلى إصدار جديد إلا إصدار معتمد أو مؤرشف؛ هذه المسودة قابلة للتعديل مباشرة.',
  draft_version_exists: 'يوجد إصدار مسودة لهذه الخطة بالفعل.',
  invalid_plan_transition: 'لا يسمح سير عمل الخطة بهذا الانتقال.',
  invalid_period: 'تاريخ النهاية يسبق تاريخ البداية.',
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
};

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}
