/**
 * Reminder e-mails. One message carries both languages, Arabic first (right-to-left block), then English,
 * so it reads correctly whatever the recipient's locale and can be forwarded inside a ministry as is.
 */
export interface ReminderItem {
  assignmentId: string;
  label: string; // document symbol and paragraph, e.g. "A/HRC/59/98 139.4", or "cluster …"
  dueDate: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const ltr = (s: string) => `\u2066${s}\u2069`; // keep symbols and dates left-to-right inside Arabic text

export function reminderMail(kind: 'due' | 'overdue', entity: { name_ar: string; name_en: string }, items: ReminderItem[], publicUrl: string) {
  const link = `${publicUrl}/workspace`;
  const n = items.length;
  const ar =
    kind === 'due'
      ? { subject: `تذكير: ${ltr(String(n))} تحديث مستحق قريباً`, intro: `يحين قريباً موعد تقديم تحديثات التنفيذ التالية لـ${entity.name_ar}:` }
      : { subject: `إشعار تأخر: ${ltr(String(n))} تحديث متأخر`, intro: `انقضى موعد تقديم تحديثات التنفيذ التالية لـ${entity.name_ar} ولم يُعتمد تحديث بعد:` };
  const en =
    kind === 'due'
      ? { subject: `Reminder: ${n} update(s) due soon`, intro: `The following progress updates of ${entity.name_en} are due soon:` }
      : { subject: `Overdue: ${n} update(s) past due`, intro: `The following progress updates of ${entity.name_en} are past due and no update has been approved yet:` };
  const subject = `${ar.subject} | ${en.subject}`;
  const linesAr = items.map((i) => `- ${ltr(i.label)} — الموعد: ${ltr(i.dueDate)}`);
  const linesEn = items.map((i) => `- ${i.label} — due ${i.dueDate}`);
  const text = [
    ar.intro,
    ...linesAr,
    `افتح مساحة العمل: ${link}`,
    '',
    '----------------------------------------',
    '',
    en.intro,
    ...linesEn,
    `Open your workspace: ${link}`,
    '',
    'رصد — Rasd',
  ].join('\n');
  const html = `<!doctype html><html><body>
<div dir="rtl" lang="ar" style="text-align:right;font-family:'IBM Plex Sans Arabic',Tahoma,sans-serif">
<p>${esc(ar.intro)}</p><ul>${items.map((i) => `<li><bdi>${esc(i.label)}</bdi> — الموعد: <bdi>${esc(i.dueDate)}</bdi></li>`).join('')}</ul>
<p><a href="${esc(link)}">افتح مساحة العمل</a></p></div>
<hr>
<div dir="ltr" lang="en" style="text-align:left;font-family:Arial,sans-serif">
<p>${esc(en.intro)}</p><ul>${items.map((i) => `<li>${esc(i.label)} — due ${esc(i.dueDate)}</li>`).join('')}</ul>
<p><a href="${esc(link)}">Open your workspace</a></p></div>
</body></html>`;
  return { subject, text, html, ar, en };
}
