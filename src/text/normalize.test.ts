import { describe, expect, it } from 'vitest';
import { normalizeArabic, normalizeLatin, normalizeText, stripArabicDiacritics } from './normalize.ts';

describe('normalizeArabic', () => {
  it('strips tashkeel (U+064B–U+0652)', () => {
    expect(normalizeArabic('حُقُوقُ الْإِنْسَانِ')).toBe('حقوق الانسان');
    expect(normalizeArabic('ً ٌ ٍ َ ُ ِ ّ ْ'.replaceAll(' ', ''))).toBe('');
  });
  it('strips superscript alef U+0670 and Quranic marks', () => {
    expect(normalizeArabic('هٰذا')).toBe('هذا');
    expect(normalizeArabic('الرَّحْمَٰنِ')).toBe('الرحمن');
    expect(normalizeArabic('قال\u06D6 \u0610ب')).toBe('قال ب');
  });
  it('strips tatweel U+0640', () => {
    expect(normalizeArabic('الـــمـرأة')).toBe('المراه');
  });
  it('unifies alef forms أ إ آ ٱ → ا', () => {
    expect(normalizeArabic('أإآٱا')).toBe('ااااا');
    expect(normalizeArabic('إنشاء آليات ٱلله')).toBe('انشا اليات الله');
  });
  it('maps taa marbuta ة → ه and alef maqsura ى → ي', () => {
    expect(normalizeArabic('اللجنة')).toBe('اللجنه');
    expect(normalizeArabic('على مستشفى')).toBe('علي مستشفي');
  });
  it('maps hamza carriers ؤ → و and ئ → ي, and removes standalone ء', () => {
    expect(normalizeArabic('مؤسسة')).toBe('موسسه');
    expect(normalizeArabic('رئيس')).toBe('رييس');
    expect(normalizeArabic('إجراءات')).toBe('اجراات');
    expect(normalizeArabic('ء')).toBe('');
  });
  it('maps Arabic-Indic and Persian digits to ASCII', () => {
    expect(normalizeArabic('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(normalizeArabic('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
  });
  it('leaves Latin text alone', () => {
    expect(normalizeArabic('Café CERD/C/MAR')).toBe('Café CERD/C/MAR');
  });
  it('stripArabicDiacritics keeps hamza and taa marbuta', () => {
    expect(stripArabicDiacritics('المَرْأَةُ')).toBe('المرأة');
  });
});

describe('normalizeLatin', () => {
  it('lower-cases and strips accents', () => {
    expect(normalizeLatin('ÉCOLE Élève çà où naïve')).toBe('ecole eleve ca ou naive');
  });
  it('expands ß, œ, æ and folds ø, ł, đ, ı', () => {
    expect(normalizeLatin('Straße Œuvre cœur Æsir Ørsted Łódź Đakovo ıi')).toBe(
      'strasse oeuvre coeur aesir orsted lodz dakovo ii',
    );
  });
});

describe('normalizeText', () => {
  it('applies NFKC: presentation forms, ligatures, full-width and superscript digits', () => {
    expect(normalizeText('ﻻ ﷲ')).toBe('لا الله');
    expect(normalizeText('ﬁnal ＡＢＣ１２ x²')).toBe('final abc12 x2');
  });
  it('composes decomposed hamza sequences and then unifies them', () => {
    expect(normalizeText('\u0627\u0654\u0646')).toBe('ان'); // ا + hamza above
    expect(normalizeText('\u0648\u0654')).toBe('و');
  });
  it('removes bidi marks, ZWNJ and soft hyphen', () => {
    expect(normalizeText('\u200Fحقوق\u200C\u200E co\u00ADoperation')).toBe('حقوق cooperation');
  });
  it('handles mixed text and is idempotent', () => {
    const s = 'التَّصْدِيقُ على اتفاقية CEDAW — Ratification (١٢٨٫٢٦) ';
    const n = normalizeText(s);
    expect(n).toBe('التصديق علي اتفاقيه cedaw — ratification (128٫26) ');
    expect(normalizeText(n)).toBe(n);
  });
});
