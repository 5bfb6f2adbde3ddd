import { describe, expect, it } from 'vitest';
import { esc, html, Html, page, statusBar } from './portal.html.ts';

describe('portal HTML', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const evil = `"><script>alert('x')</script>&`;
    const out = html`<a title="${evil}" href="/x?q=${evil}">${evil}</a>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toBe(`<a title="${esc(evil)}" href="/x?q=${esc(evil)}">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>`);
  });

  it('inserts its own markup and arrays of it as they are, and drops null, undefined and false', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
    expect(html`${new Html('<b>ok</b>')}`.value).toBe('<b>ok</b>');
  });

  it('writes the language, direction, title, description and hreflang alternates of a page', () => {
    const out = page({ lang: 'ar', path: '/recommendations?x=<1>', title: 'عنوان <i>', description: 'وصف "مقتبس"', body: html`<p>نص</p>`, base: 'https://rasd.example', cssHref: '/public/assets/portal.css?v=1' });
    expect(out.startsWith('<!doctype html>\n<html lang="ar" dir="rtl">')).toBe(true);
    expect(out).toContain('<title>عنوان &lt;i&gt; — ');
    expect(out).toContain('<meta name="description" content="وصف &quot;مقتبس&quot;">');
    expect(out).toContain('<link rel="alternate" hreflang="en" href="https://rasd.example/public/en/recommendations?x=&lt;1&gt;">');
    expect(out).toContain('<a class="lang" href="/public/en/recommendations?x=&lt;1&gt;" lang="en" hreflang="en"');
    expect(out).not.toContain('<script');
  });

  it('draws a status bar whose parts are named with their counts, and only accepts colours', () => {
    const statuses = [
      { code: 'a', label_ar: 'أ', label_en: 'A', color: '#112233' },
      { code: 'b', label_ar: 'ب', label_en: 'B', color: 'red;background:url(x)' },
    ];
    const out = statusBar('en', { a: 1, b: 3 }, statuses, 4).value;
    expect(out).toContain('aria-label="A: 1, B: 3"');
    expect(out).toContain('width:25.00%;background:#112233');
    expect(out).toContain('width:75.00%;background:#888');
    expect(out).not.toContain('url(x)');
  });
});
