import path from 'node:path';
import { z } from 'zod';
import type { Role } from '../db/schema.ts';

/** Where a UHRI download may come from, how large it may be and how long it may take. */
export interface DownloadLimits {
  /** host or host:port, lower case */
  allowedHosts: string[];
  maxBytes: number;
  timeoutMs: number;
}

/** Where the database lives, parsed from DATABASE_URL. */
export type DatabaseTarget =
  | { engine: 'sqlite'; file: string }
  | { engine: 'postgres'; url: string };

export class ConfigError extends Error {
  constructor(
    public readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export function parseDatabaseUrl(raw: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const value = (raw ?? '').trim() || 'sqlite:./data/rasd.db';
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new ConfigError('DATABASE_URL', 'sqlite: needs a file path, e.g. sqlite:./data/rasd.db');
    return { engine: 'sqlite', file: file === ':memory:' ? file : path.resolve(cwd, file) };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError('DATABASE_URL', 'not a valid postgres:// URL');
    }
    if (!url.pathname || url.pathname === '/') throw new ConfigError('DATABASE_URL', 'postgres URL must name a database');
    return { engine: 'postgres', url: value };
  }
  throw new ConfigError('DATABASE_URL', `expected "sqlite:PATH" or "postgres://user:pass@host:port/db", got "${value.slice(0, 60)}"`);
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** "true" forces Secure cookies; "auto" sets them when the request came over TLS (x-forwarded-proto). */
  COOKIE_SECURE: z.enum(['true', 'false', 'auto']).default('auto'),
  SESSION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /**
   * Which X-Forwarded-* headers to believe: "false" none; "true" one proxy hop (the load balancer in front);
   * a number of hops; or a comma-separated list of the proxies' addresses or CIDR ranges. Only the configured
   * hops are trusted, so a client cannot choose its own address by sending X-Forwarded-For.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .refine((v) => /^(true|false|\d{1,2})$/.test(v) || v.split(',').every((p) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(p.trim())), {
      message: 'expected true, false, a number of proxy hops, or a comma-separated list of proxy addresses/CIDR ranges',
    }),
  /** smtp://user:pass@host:port or smtps://…; empty = reminders are in-app only (mail is logged as skipped) */
  SMTP_URL: z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || /^smtps?:\/\/[^\s]+$/.test(v), 'expected smtp://user:pass@host:port or smtps://…'),
  MAIL_FROM: z.string().trim().default('Rasd <no-reply@rasd.invalid>'),
  /** absolute address of the web app, used for links in e-mails */
  PUBLIC_URL: z.string().trim().default(''),
  /** a reminder goes out this many days before an update falls due */
  REMINDER_DAYS: z.coerce.number().int().min(0).max(90).default(7),
  /** the daily reminders job runs at this hour (UTC) */
  REMINDER_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(5),
  /** how often each instance polls the job queue */
  JOBS_POLL_SECONDS: z.coerce.number().min(0.1).max(3600).default(15),
  /** heap limit of the worker thread that parses an import or preview; a file needing more is refused (file_too_complex) */
  IMPORT_WORKER_HEAP_MB: z.coerce.number().int().min(16).max(65536).default(1024),
  /**
   * where an import run parses and writes: `worker` (a worker thread with its own database connection, so that the
   * server's thread keeps answering) or `main` (the server's thread; for comparison). In memory always `main`.
   */
  IMPORT_COMMIT_THREAD: z.enum(['worker', 'main']).default('worker'),
  /** PostgreSQL: an import run whose instance stopped beating this long ago is marked failed (interrupted) */
  IMPORT_STALE_SECONDS: z.coerce.number().min(1).max(86_400).default(60),
  /** where the nightly backup job writes its archives (default DATA_DIR/backups) */
  BACKUP_DIR: z.string().trim().default(''),
  /** how many nightly/manual backup archives to keep in BACKUP_DIR; 0 turns the nightly backup off */
  BACKUP_KEEP: z.coerce.number().int().min(0).max(1000).default(7),
  /** the nightly backup runs at this hour (UTC) */
  BACKUP_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(2),
  /** default address of the UHRI export for `import uhri-url` and the Import page's download form */
  RASD_UHRI_URL: z.string().trim().default('').refine((v) => v === '' || /^https?:\/\//.test(v), { message: 'expected an http(s) address' }),
  /** hosts a download may come from (comma-separated host or host:port); the host of RASD_UHRI_URL is always allowed */
  RASD_UHRI_HOSTS: z.string().trim().default('uhri.ohchr.org'),
  /** the largest download accepted, in MB (a full UHRI export is about 400 MB per language) */
  RASD_UHRI_MAX_MB: z.coerce.number().int().min(1).max(65536).default(2048),
  /** how long a download may take in all, in seconds */
  RASD_UHRI_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86400).default(1800),
  /** OpenID Connect sign-in (a government identity provider): on when the issuer and client id are set */
  OIDC_ISSUER: z.string().trim().default('').refine((v) => v === '' || /^https?:\/\//.test(v), { message: 'expected an http(s) address' }),
  OIDC_CLIENT_ID: z.string().trim().default(''),
  OIDC_CLIENT_SECRET: z.string().default(''),
  /** the claim that carries the user's roles (a string or a list) */
  OIDC_ROLE_CLAIM: z.string().trim().default('roles'),
  /** claim value → Rasd role, e.g. "Rasd.Admin=admin,Rasd.Coordinator=coordinator" (a value equal to a role name maps to it) */
  OIDC_ROLE_MAP: z.string().trim().default(''),
  /** the role of a user whose claims map to none (empty: such a user is refused) */
  OIDC_DEFAULT_ROLE: z.enum(['', 'admin', 'coordinator', 'focal_point', 'contributor', 'viewer']).default(''),
  /** the claim that carries the code of the user's entity (needed for focal points and contributors) */
  OIDC_ENTITY_CLAIM: z.string().trim().default('rasd_entity'),
  /** requests per minute one address may make to the anonymous public API (/api/public/…); bursts up to this many */
  PUBLIC_API_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
  /** URLs per sitemap file (the sitemap protocol's limit is 50,000); more than this makes /public/sitemap.xml an index */
  PUBLIC_SITEMAP_URL_LIMIT: z.coerce.number().int().min(2).max(50_000).default(50_000),
  /** rendered public pages kept in memory (an LRU per process, emptied by any change to what the portal shows) */
  PUBLIC_PAGE_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(2_000),
  /** key that encrypts secrets at rest (two-factor secrets): 64 hex digits or 32 bytes in base64; empty = DATA_DIR/secret.key */
  SECRET_KEY: z.string().default(''),
  /** the key secrets were encrypted under before SECRET_KEY, read too during a rotation (`rasd secret rotate`, docs/OPERATIONS.md) */
  SECRET_KEY_PREVIOUS: z.string().default(''),
  /** where evidence files go: "database" (every instance reaches them) or "disk" (DATA_DIR/evidence); default by engine */
  FILE_STORAGE: z.enum(['', 'database', 'disk']).default(''),
});

export interface AppConfig {
  port: number;
  host: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  dataDir: string;
  database: DatabaseTarget;
  cookieSecure: 'true' | 'false' | 'auto';
  sessionDays: number;
  /** Fastify's trustProxy: false, a number of hops, or the proxies' addresses */
  trustProxy: false | number | string[];
  smtpUrl: string | null;
  mailFrom: string;
  publicUrl: string;
  reminderDays: number;
  reminderHourUtc: number;
  jobsPollMs: number;
  importWorkerHeapMb: number;
  /** IMPORT_COMMIT_THREAD */
  importCommitThread: 'worker' | 'main';
  /** PostgreSQL: how long after its instance's last heartbeat a running import counts as interrupted */
  importStaleMs: number;
  uhriUrl: string | null;
  /** the nightly backup job (src/backup/backup-job.ts): folder, how many archives to keep (0 = no nightly run), hour */
  backup: { dir: string; keep: number; hourUtc: number };
  /** where and how much a UHRI download may fetch */
  download: DownloadLimits;
  /** per-address limit of the public API, requests per minute */
  publicApiRatePerMinute: number;
  /** URLs per sitemap file before /public/sitemap.xml becomes a sitemap index */
  publicSitemapUrlLimit: number;
  /** rendered public pages kept in memory (0: none) */
  publicPageCacheEntries: number;
  /** OpenID Connect sign-in, when configured */
  oidc: OidcConfig | null;
  /** SECRET_KEY, when set (else the key file in the data folder, see src/auth/secret-box.ts) */
  secretKey: Buffer | null;
  /** SECRET_KEY_PREVIOUS, when set: secrets sealed under it are still read (a rotation under way) */
  secretKeyPrevious: Buffer | null;
  /** where evidence files are written (src/files/file-store.ts): database by default on PostgreSQL, disk on SQLite */
  fileStorage: 'database' | 'disk';
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  roleClaim: string;
  /** claim value → role */
  roleMap: Record<string, Role>;
  defaultRole: Role | null;
  entityClaim: string;
}

const ROLES: readonly Role[] = ['admin', 'coordinator', 'focal_point', 'contributor', 'viewer'];

function parseRoleMap(v: string): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const pair of v.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.lastIndexOf('=');
    const role = pair.slice(at + 1).trim() as Role;
    if (at <= 0 || !ROLES.includes(role)) throw new ConfigError('OIDC_ROLE_MAP', `expected claimValue=role pairs with a role among ${ROLES.join(', ')} (got "${pair}")`);
    map[pair.slice(0, at).trim()] = role;
  }
  return map;
}

/** Reads and validates the environment; throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    // SMTP_URL may hold a password: never echo it
    const got = variable === 'SMTP_URL' ? '' : ` (got "${String(env[variable] ?? '')}")`;
    throw new ConfigError(variable, `${issue.message}${got}`);
  }
  const e = parsed.data;
  const database = parseDatabaseUrl(env.DATABASE_URL, cwd);
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(cwd, e.DATA_DIR),
    database,
    cookieSecure: e.COOKIE_SECURE,
    sessionDays: e.SESSION_DAYS,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    smtpUrl: e.SMTP_URL || null,
    mailFrom: e.MAIL_FROM,
    publicUrl: (e.PUBLIC_URL || `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    reminderDays: e.REMINDER_DAYS,
    reminderHourUtc: e.REMINDER_HOUR_UTC,
    jobsPollMs: Math.round(e.JOBS_POLL_SECONDS * 1000),
    importWorkerHeapMb: e.IMPORT_WORKER_HEAP_MB,
    importCommitThread: e.IMPORT_COMMIT_THREAD,
    importStaleMs: Math.round(e.IMPORT_STALE_SECONDS * 1000),
    uhriUrl: e.RASD_UHRI_URL || null,
    backup: {
      dir: path.resolve(cwd, e.BACKUP_DIR || path.join(e.DATA_DIR, 'backups')),
      keep: e.BACKUP_KEEP,
      hourUtc: e.BACKUP_HOUR_UTC,
    },
    download: {
      allowedHosts: [
        ...e.RASD_UHRI_HOSTS.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
        ...(e.RASD_UHRI_URL ? [new URL(e.RASD_UHRI_URL).host.toLowerCase()] : []),
      ],
      maxBytes: e.RASD_UHRI_MAX_MB * 1024 * 1024,
      timeoutMs: e.RASD_UHRI_TIMEOUT_SECONDS * 1000,
    },
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            roleClaim: e.OIDC_ROLE_CLAIM,
            roleMap: parseRoleMap(e.OIDC_ROLE_MAP),
            defaultRole: e.OIDC_DEFAULT_ROLE || null,
            entityClaim: e.OIDC_ENTITY_CLAIM,
          }
        : null,
    publicApiRatePerMinute: e.PUBLIC_API_RATE_PER_MINUTE,
    publicSitemapUrlLimit: e.PUBLIC_SITEMAP_URL_LIMIT,
    publicPageCacheEntries: e.PUBLIC_PAGE_CACHE_ENTRIES,
    secretKey: e.SECRET_KEY.trim() ? parseSecretKey(e.SECRET_KEY) : null,
    secretKeyPrevious: e.SECRET_KEY_PREVIOUS.trim() ? parseSecretKey(e.SECRET_KEY_PREVIOUS, 'SECRET_KEY_PREVIOUS') : null,
    fileStorage: e.FILE_STORAGE || (database.engine === 'postgres' ? 'database' : 'disk'),
  };
}

/** SECRET_KEY (or the key file): 64 hex digits or 32 bytes in base64 (never echoed: it is a secret). */
export function parseSecretKey(v: string, variable = 'SECRET_KEY'): Buffer {
  const s = v.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(s) ? Buffer.from(s, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(s) ? Buffer.from(s, 'base64') : null;
  if (!key || key.length !== 32) throw new ConfigError(variable, 'expected a 32-byte key: 64 hex digits or 44 base64 characters (e.g. `openssl rand -hex 32`)');
  return key;
}

function parseTrustProxy(v: string): false | number | string[] {
  if (v === 'false') return false;
  if (v === 'true') return 1;
  if (/^\d+$/.test(v)) return Number(v) || false;
  return v.split(',').map((p) => p.trim());
}
