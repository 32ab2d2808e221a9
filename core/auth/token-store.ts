// The hub's bearer tokens in the store: create (the token is returned once), list, revoke, and
// verify a presented token. Only hashes are stored.
import { randomUUID } from 'node:crypto'
import type { Db, Queryable } from '../store/db.ts'
import { ROLES, type Role } from './roles.ts'
import { HUB_TOKEN, type Principal } from './principal.ts'
import { generateToken, hashToken } from './token-secret.ts'
import { AuthErrors } from './errors.ts'
import { isoTimestamp } from '../store/timestamps.ts'
import type { VerifiedTokenCache } from './verified-tokens.ts'

export type TokenSource = 'api' | 'config' | 'generated'

export interface TokenRecord {
  id: string
  name: string
  role: Role
  source: TokenSource
  createdAt: string
  createdBy: string
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface CreatedToken {
  record: TokenRecord
  /** the bearer token itself: shown to the caller once, never stored */
  token: string
}

export interface CreateTokenInput {
  name: string
  role: Role
  /** who asked for it (a principal), or a description such as "first start" */
  createdBy: Pick<Principal, 'tokenId' | 'name'> | string
  source?: TokenSource
  /** a given token value (CROSSWALK_ADMIN_TOKEN); generated otherwise */
  token?: string
}

interface TokenRow {
  id: string
  name: string
  role: string
  source: string
  created_at: Date | string
  created_by: string
  last_used_at: Date | string | null
  revoked_at: Date | string | null
}

const COLUMNS = 'id, name, role, source, created_at, created_by, last_used_at, revoked_at'
/** last_used_at is a hint for people, not an access log: one write per token per minute at most */
const TOUCH_INTERVAL_MS = 60_000

function toRecord(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    source: row.source as TokenSource,
    createdAt: isoTimestamp(row.created_at),
    createdBy: row.created_by,
    lastUsedAt: isoTimestamp(row.last_used_at),
    revokedAt: isoTimestamp(row.revoked_at),
  }
}

export class TokenStore {
  readonly #db: Db
  readonly #touched = new Map<string, number>()
  readonly #verified: VerifiedTokenCache | undefined

  /** `verified`: where tokens that verified are kept (plugins/auth.ts keeps it current) */
  constructor(db: Db, verified?: VerifiedTokenCache) {
    this.#db = db
    this.#verified = verified
  }

  async create(input: CreateTokenInput, tx: Queryable = this.#db): Promise<CreatedToken> {
    if (!ROLES.includes(input.role)) throw new TypeError(`unknown role ${String(input.role)}`)
    const token = input.token ?? generateToken()
    const creator = typeof input.createdBy === 'string' ? { name: input.createdBy } : input.createdBy
    const { rows } = await tx.query<TokenRow>(
      `insert into api_tokens (id, name, role, token_hash, source, created_by, created_by_token_id)
       values ($1, $2, $3, $4, $5, $6, $7) returning ${COLUMNS}`,
      [
        randomUUID(),
        input.name,
        input.role,
        hashToken(token),
        input.source ?? 'api',
        creator.name,
        'tokenId' in creator ? creator.tokenId : null,
      ],
    )
    return { record: toRecord(rows[0] as TokenRow), token }
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<TokenRecord[]> {
    const { rows } = await this.#db.query<TokenRow>(
      `select ${COLUMNS} from api_tokens ${options.includeRevoked ? '' : 'where revoked_at is null'}
       order by created_at, id`,
    )
    return rows.map(toRecord)
  }

  async get(id: string): Promise<TokenRecord | undefined> {
    const { rows } = await this.#db.query<TokenRow>(`select ${COLUMNS} from api_tokens where id = $1`, [id])
    return rows[0] ? toRecord(rows[0]) : undefined
  }

  /** Revokes a token; refuses to revoke the last active admin token (nobody could manage tokens). */
  async revoke(id: string): Promise<TokenRecord> {
    const revoked = await this.#db.transaction(async (tx) => {
      // Serialise concurrent revocations so two admins cannot each revoke the other's last token.
      const { rows: all } = await tx.query<{ id: string; role: string; revoked_at: Date | null }>(
        `select id, role, revoked_at from api_tokens where revoked_at is null or id = $1 for update`,
        [id],
      )
      const target = all.find((row) => row.id === id)
      if (!target) throw new AuthErrors.TOKEN_NOT_FOUND(id)
      if (target.revoked_at !== null) throw new AuthErrors.TOKEN_REVOKED(id)
      const otherAdmins = all.filter((row) => row.id !== id && row.role === 'admin' && row.revoked_at === null)
      if (target.role === 'admin' && otherAdmins.length === 0) throw new AuthErrors.LAST_ADMIN(id)
      const { rows } = await tx.query<TokenRow>(
        `update api_tokens set revoked_at = now() where id = $1 returning ${COLUMNS}`,
        [id],
      )
      this.#touched.delete(id)
      return toRecord(rows[0] as TokenRow)
    })
    // this instance stops accepting it now, not when the store's notification comes back
    this.#verified?.forget(id)
    return revoked
  }

  /** The principal of a presented token, or undefined when it is unknown or revoked. */
  async verify(token: string): Promise<Principal | undefined> {
    const tokenHash = hashToken(token)
    const cached = this.#verified?.get(tokenHash)
    if (cached) {
      await this.#touch(cached.tokenId)
      return cached
    }
    const ticket = this.#verified?.ticket() ?? 0
    const { rows } = await this.#db.query<{ id: string; name: string; role: string }>(
      'select id, name, role from api_tokens where token_hash = $1 and revoked_at is null',
      [tokenHash],
    )
    const row = rows[0]
    if (!row) return undefined
    const principal: Principal = { tokenId: row.id, name: row.name, role: row.role as Role, kind: HUB_TOKEN }
    this.#verified?.remember(tokenHash, principal, ticket)
    await this.#touch(row.id)
    return principal
  }

  /** Is there any token at all, revoked ones included (has the hub ever been set up)? */
  async any(tx: Queryable = this.#db): Promise<boolean> {
    const { rows } = await tx.query('select 1 from api_tokens limit 1')
    return rows.length > 0
  }

  async #touch(id: string): Promise<void> {
    const now = Date.now()
    if (now - (this.#touched.get(id) ?? 0) < TOUCH_INTERVAL_MS) return
    this.#touched.set(id, now)
    await this.#db.query('update api_tokens set last_used_at = now() where id = $1', [id])
  }
}
