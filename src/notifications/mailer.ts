import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** false when mail is not configured (SMTP_URL empty): the message is not sent */
  readonly enabled: boolean;
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer (SMTP_URL, MAIL_FROM). Without SMTP_URL, mail is disabled and only in-app notices go out. */
export function createMailer(opts: { smtpUrl: string | null; from: string }): Mailer {
  if (!opts.smtpUrl) {
    return { enabled: false, async send() {}, close() {} };
  }
  const transport = nodemailer.createTransport(opts.smtpUrl);
  return {
    enabled: true,
    async send(m) {
      await transport.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text, html: m.html });
    },
    close: () => transport.close(),
  };
}
