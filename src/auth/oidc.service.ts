import { type Kysely } from 'kysely';
import * as client from 'openid-client';
import type { OidcConfig } from '../config/config.ts';
import type { DB, Role, User } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import { nowIso } from '../shared/ids.ts';
import { hashPassword, newUserRow } from '../users/index.ts';
import { randomBytes } from 'node:crypto';
import { openSession } from './session.service.ts';
import { recordAudit } from '../audit/index.ts';

/**
 * Sign-in through a government identity provider (OpenID Connect, authorization code with PKCE). The provider
 * says who the person is and, through claims, their role and entity; Rasd keeps its own user (found by the
 * provider's subject, else by e-mail; created on first sign-in) in step with those claims at every sign-in.
 * Two-factor is the provider's business here: its users are not asked for a Rasd code.
 */
const REQUEST_TTL_MS = 10 * 60_000;
/** when a person holds several roles, the widest wins */
const ROLE_ORDER: readonly Role[] = ['admin', 'coordinator', 'focal_point', 'contributor', 'viewer'];
const NEEDS_ENTITY: readonly Role[] = ['focal_point', 'contributor'];

const ssoError = (status: number, code: string, message: string) => new AppError(status, code, message);

export class OidcSignIn {
  private discovered: Promise<client.Configuration> | null = null;
  constructor(
    private readonly cfg: OidcConfig,
    /** the callback address registered with the provider */
    readonly redirectUri: string,
  ) {}

  /** The provider's metadata, read once (again after a failure). Plain http only for a provider on this machine. */
  private configuration(): Promise<client.Configuration> {
    if (!this.discovered) {
      const issuer = new URL(this.cfg.issuer);
      const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
      this.discovered = client.discovery(issuer, this.cfg.clientId, this.cfg.clientSecret || undefined, undefined, loopback ? { execute: [client.allowInsecureRequests] } : undefined);
      this.discovered.catch(() => (this.discovered = null));
    }
    return this.discovered;
  }

  /** Starts a sign-in: remembers state, nonce and PKCE verifier, and gives the provider's address to go to. */
  async start(db: Kysely<DB>): Promise<{ url: string; state: string }> {
    let config: client.Configuration;
    try {
      config = await this.configuration();
    } catch (err) {
      throw ssoError(502, 'sso_unavailable', `The identity provider could not be reached (${(err as Error).message}).`);
    }
    const state = client.randomState();
    const nonce = client.randomNonce();
    const verifier = client.randomPKCECodeVerifier();
    await db.deleteFrom('oidc_requests').where('created_at', '<', new Date(Date.now() - REQUEST_TTL_MS).toISOString()).execute();
    await db.insertInto('oidc_requests').values({ state, nonce, code_verifier: verifier, created_at: nowIso() }).execute();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, state };
  }

  /**
   * Finishes a sign-in from the provider's answer (the callback address with its query): checks the state
   * against the browser's cookie, trades the code, checks the ID token, then finds or creates the user and
   * opens a session.
   */
  async finish(db: Kysely<DB>, query: string, browserState: string | undefined, sessionDays: number) {
    const callback = new URL(this.redirectUri);
    callback.search = query;
    const state = callback.searchParams.get('state');
    if (callback.searchParams.get('error')) throw ssoError(401, 'sso_refused', `The identity provider refused the sign-in: ${callback.searchParams.get('error')}.`);
    if (!state || !browserState || state !== browserState) throw ssoError(400, 'sso_state_mismatch', 'This sign-in was not started from this browser. Start again.');
    const pending = await db.selectFrom('oidc_requests').selectAll().where('state', '=', state).executeTakeFirst();
    await db.deleteFrom('oidc_requests').where('state', '=', state).execute();
    if (!pending || Date.parse(pending.created_at) < Date.now() - REQUEST_TTL_MS) throw ssoError(400, 'sso_expired', 'This sign-in took too long. Start again.');
    let claims: client.IDToken;
    try {
      const tokens = await client.authorizationCodeGrant(await this.configuration(), callback, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims()!;
    } catch (err) {
      throw ssoError(401, 'sso_failed', `The identity provider's answer could not be verified (${(err as Error).message}).`);
    }
    const user = await this.userFor(db, claims);
    const session = await db.transaction().execute((trx) => openSession(trx, user, sessionDays, { via: 'oidc', issuer: claims.iss }));
    return { user, ...session };
  }

  /** The role the claims give (the widest of those mapped), or the configured default, or null. */
  roleOf(claims: Record<string, unknown>): Role | null {
    const raw = claims[this.cfg.roleClaim];
    const values = (Array.isArray(raw) ? raw : raw == null ? [] : [raw]).map(String);
    const mapped = values.map((v) => this.cfg.roleMap[v] ?? (ROLE_ORDER.includes(v as Role) ? (v as Role) : null)).filter((r): r is Role => r !== null);
    return ROLE_ORDER.find((r) => mapped.includes(r)) ?? this.cfg.defaultRole;
  }

  private async userFor(db: Kysely<DB>, claims: client.IDToken): Promise<User> {
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (!email) throw ssoError(403, 'sso_no_email', 'The identity provider did not give an e-mail address for this person.');
    const role = this.roleOf(claims);
    if (!role) throw ssoError(403, 'sso_no_role', 'The identity provider gives this person no role in Rasd. Ask for one to be assigned.');
    let entityId: string | null = null;
    if (NEEDS_ENTITY.includes(role)) {
      const code = claims[this.cfg.entityClaim];
      const entity = typeof code === 'string' ? await db.selectFrom('entities').select('id').where('code', '=', code).executeTakeFirst() : undefined;
      if (!entity) throw ssoError(403, 'sso_unknown_entity', `The identity provider names no known entity for this person (claim ${this.cfg.entityClaim}).`);
      entityId = entity.id;
    }
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email.split('@')[0]!;
    const subject = `${claims.iss}#${claims.sub}`;
    return db.transaction().execute(async (trx) => {
      const existing =
        (await trx.selectFrom('users').selectAll().where('oidc_subject', '=', subject).executeTakeFirst()) ??
        (await trx.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst());
      const now = nowIso();
      if (existing) {
        if (existing.disabled_at) throw ssoError(403, 'account_disabled', 'This account is disabled.');
        const changes = { role, entity_id: entityId, name, oidc_subject: subject };
        const changed = Object.entries(changes).some(([k, v]) => existing[k as keyof User] !== v);
        if (!changed) return existing;
        await trx.updateTable('users').set({ ...changes, updated_at: now }).where('id', '=', existing.id).execute();
        await recordAudit(trx, {
          actorId: existing.id,
          action: 'user.update_from_identity_provider',
          subjectType: 'user',
          subjectId: existing.id,
          before: { role: existing.role, entity_id: existing.entity_id, name: existing.name },
          after: { role, entity_id: entityId, name },
        });
        return { ...existing, ...changes, updated_at: now };
      }
      const user = newUserRow({
        email,
        name,
        // never used: such a user signs in through the provider (an administrator may set a password later)
        password_hash: await hashPassword(randomBytes(32).toString('base64url')),
        role,
        entity_id: entityId,
        locale: 'ar',
        oidc_subject: subject,
      });
      await trx.insertInto('users').values(user).execute();
      await recordAudit(trx, { actorId: user.id, action: 'user.create_from_identity_provider', subjectType: 'user', subjectId: user.id, after: { email, role, entity_id: entityId, name } });
      return user;
    });
  }
}
