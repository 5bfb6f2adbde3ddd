import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('mail and job configuration', () => {
  it('defaults to in-app reminders only, 7 days ahead, polling every 15 s', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ smtpUrl: null, reminderDays: 7, reminderHourUtc: 5, jobsPollMs: 15_000, publicUrl: 'http://localhost:3000' });
  });

  it('accepts an SMTP URL and a sender', () => {
    const c = loadConfig({ SMTP_URL: 'smtp://u:p@mail.example:587', MAIL_FROM: 'Rasd <rasd@gov.example>' });
    expect(c.smtpUrl).toBe('smtp://u:p@mail.example:587');
    expect(c.mailFrom).toBe('Rasd <rasd@gov.example>');
  });

  it('refuses a bad SMTP_URL naming the variable without echoing its password', () => {
    const bad = () => loadConfig({ SMTP_URL: 'http://user:s3cret@mail.example' });
    expect(bad).toThrowError(ConfigError);
    expect(bad).toThrowError(/SMTP_URL/);
    expect(bad).not.toThrowError(/s3cret/);
  });

  it.each([['REMINDER_DAYS', '-1'], ['REMINDER_HOUR_UTC', '24'], ['JOBS_POLL_SECONDS', 'soon']])('refuses %s=%s naming the variable', (v, value) => {
    expect(() => loadConfig({ [v]: value })).toThrowError(new RegExp(v));
  });
});
