// API tokens: created by `kiln tokens create` (stored as sha256 hashes in the api_tokens table, shown once) or
// given in KILN_API_TOKENS; checked by the server on every request before the body is read.
// A token is "kiln_" + 43 base64url characters (256 random bits), so a plain sha256 is a safe hash: there is no
// password to guess, and the check costs one hash and one Map lookup.

import { createHash, randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Db } from '../core/db/index.js';
import { KilnError, NotFoundError, ValidationError, describeValue } from '../core/errors.js';

export const TOKEN_PREFIX = 'kiln_';
/** tokens given in KILN_API_TOKENS must be at least this long: a short shared secret is guessable */
export const MIN_ENV_TOKEN_LENGTH = 16;
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

export interface ApiToken {
  id: string;
  name: string;
  /** the first characters of the token, to recognise it */
  prefix: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

const toToken = (r: TokenRow): ApiToken => ({ id: r.id, name: r.name, prefix: r.prefix, createdAt: r.created_at, createdBy: r.created_by, revokedAt: r.revoked_at });

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function who(by: string | undefined): string {
  const explicit = (by ?? process.env.KILN_USER ?? '').trim();
  if (explicit) return explicit.slice(0, 200);
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Create a token; the returned `token` is the only time the secret exists outside the client. */
export async function createToken(db: Db, options: { name: string; by?: string }): Promise<{ token: string; info: ApiToken }> {
  const name = options.name.trim();
  if (!TOKEN_NAME.test(name)) {
    throw new ValidationError(`token name ${describeValue(options.name)} is not valid`, [
      { path: ['name'], expected: 'letters, digits, space, ".", "_" or "-" (1-64 characters, starting with a letter or digit)', received: describeValue(options.name) },
    ], { hint: 'e.g. kiln tokens create --name web-app' });
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const info: ApiToken = {
    id: randomBytes(4).toString('hex'),
    name,
    prefix: token.slice(0, TOKEN_PREFIX.length + 6),
    createdAt: new Date().toISOString(),
    createdBy: who(options.by),
    revokedAt: null,
  };
  await db.exec('INSERT INTO api_tokens (id, name, token_hash, prefix, created_at, created_by, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, NULL)', [
    info.id,
    info.name,
    hashToken(token),
    info.prefix,
    info.createdAt,
    info.createdBy,
  ]);
  return { token, info };
}

/** Tokens, newest first; revoked ones only when `all` is set. */
export async function listTokens(db: Db, options: { all?: boolean } = {}): Promise<ApiToken[]> {
  const rows = await db.query<TokenRow>(
    `SELECT id, name, prefix, created_at, created_by, revoked_at FROM api_tokens${options.all ? '' : ' WHERE revoked_at IS NULL'} ORDER BY created_at DESC, id`,
  );
  return rows.map(toToken);
}

/** Revoke by id, or by name when exactly one valid token has it. A running server stops accepting it within its refresh interval. */
export async function revokeToken(db: Db, idOrName: string): Promise<ApiToken> {
  return db.transaction(async (tx) => {
    let rows = await tx.query<TokenRow>('SELECT id, name, prefix, created_at, created_by, revoked_at FROM api_tokens WHERE id = $1', [idOrName]);
    if (!rows.length) rows = await tx.query<TokenRow>('SELECT id, name, prefix, created_at, created_by, revoked_at FROM api_tokens WHERE name = $1 AND revoked_at IS NULL', [idOrName]);
    if (!rows.length) throw new NotFoundError(`no valid token has the id or name ${describeValue(idOrName)}`, { hint: 'kiln tokens list shows them' });
    if (rows.length > 1) throw new KilnError('E_CONFLICT', `${rows.length} tokens are named ${describeValue(idOrName)}`, { status: 409, hint: 'revoke by id (kiln tokens list)' });
    const row = rows[0];
    if (row.revoked_at) return toToken(row);
    const at = new Date().toISOString();
    await tx.exec('UPDATE api_tokens SET revoked_at = $1 WHERE id = $2', [at, row.id]);
    return toToken({ ...row, revoked_at: at });
  });
}

/** The tokens in KILN_API_TOKENS (separated by commas or white space). */
export function envTokens(env: NodeJS.ProcessEnv = process.env): string[] {
  const tokens = (env.KILN_API_TOKENS ?? '').split(/[\s,]+/).filter(Boolean);
  const short = tokens.filter((t) => t.length < MIN_ENV_TOKEN_LENGTH);
  if (short.length) {
    throw new ValidationError(`KILN_API_TOKENS holds ${short.length} token(s) shorter than ${MIN_ENV_TOKEN_LENGTH} characters`, [
      { path: ['KILN_API_TOKENS'], expected: `tokens of ${MIN_ENV_TOKEN_LENGTH} or more characters`, received: `${short.length} shorter` },
    ], { hint: 'use kiln tokens create, or a long random string (e.g. openssl rand -base64 32)' });
  }
  return tokens;
}

export interface TokenVerifierOptions {
  /** how often the valid hashes are re-read (revocations take effect within this); default 2000 ms */
  refreshMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Checks `Authorization: Bearer <token>` against KILN_API_TOKENS and the api_tokens table. Valid hashes are cached
 * and re-read every `refreshMs`; a token not in the cache costs one indexed lookup (so a token created a moment
 * ago works at once). Authentication is on when any token exists (env or table, revoked ones included, so revoking
 * the last token never opens the server).
 */
export class TokenVerifier {
  private readonly envHashes: Set<string>;
  private dbHashes = new Set<string>();
  private anyDbToken = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db | null,
    env: readonly string[],
    private readonly options: TokenVerifierOptions = {},
  ) {
    this.envHashes = new Set(env.map(hashToken));
  }

  get enabled(): boolean {
    return this.envHashes.size > 0 || this.anyDbToken;
  }

  /** Read the table once and start refreshing. */
  async start(): Promise<void> {
    await this.refresh();
    const tick = (): void => {
      this.timer = setTimeout(() => {
        this.refresh().catch((e: unknown) => this.options.onError?.(e)).finally(tick);
      }, this.options.refreshMs ?? 2000);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async refresh(): Promise<void> {
    if (!this.db) return;
    const rows = await this.db.query<{ token_hash: string; revoked_at: string | null }>('SELECT token_hash, revoked_at FROM api_tokens');
    this.dbHashes = new Set(rows.filter((r) => r.revoked_at === null).map((r) => r.token_hash));
    this.anyDbToken = rows.length > 0;
  }

  /** The token from an Authorization header value, or null when the header is absent or not a bearer token. */
  static bearer(header: string | undefined): string | null {
    if (!header) return null;
    const m = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
    return m ? m[1] : null;
  }

  /** True when the header carries a valid token (or authentication is off). */
  async check(header: string | undefined): Promise<boolean> {
    if (!this.enabled) return true;
    const token = TokenVerifier.bearer(header);
    if (token === null || token.length > 512) return false;
    const hash = hashToken(token);
    if (this.envHashes.has(hash) || this.dbHashes.has(hash)) return true;
    if (!this.db) return false;
    const rows = await this.db.query('SELECT 1 AS ok FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL', [hash]);
    if (!rows.length) return false;
    this.dbHashes.add(hash);
    return true;
  }
}
