import { AppError } from '../shared/errors.ts';
import { TokenBuckets } from '../portal/index.ts';

/** Registrations from one address: at most this many an hour. */
export const REGISTRATIONS_PER_HOUR = 5;
/** Comments from one stakeholder: at most this many an hour (and from one address, twice as many). */
export const COMMENTS_PER_HOUR = 30;

/**
 * Abuse checks on the public forms (issue 16, item 4): rate limits per address and per account, in memory (each
 * instance counts its own). The honeypot field and the size caps are checked where the input is read.
 */
export class AbuseGuards {
  private readonly registrations = new TokenBuckets(REGISTRATIONS_PER_HOUR, 3_600_000);
  private readonly commentsByUser = new TokenBuckets(COMMENTS_PER_HOUR, 3_600_000);
  private readonly commentsByIp = new TokenBuckets(COMMENTS_PER_HOUR * 2, 3_600_000);

  registration(ip: string): void {
    limited(this.registrations.take(ip), 'Too many registrations from this address. Wait a while and try again.');
  }
  comment(userId: string, ip: string): void {
    limited(this.commentsByUser.take(userId), 'Too many comments in a short time. Wait a while and try again.');
    limited(this.commentsByIp.take(ip), 'Too many comments from this address. Wait a while and try again.');
  }
}

function limited(wait: number, message: string): void {
  if (wait > 0) throw new AppError(429, 'rate_limited', message, { retryAfterSeconds: Math.ceil(wait / 1000) });
}
