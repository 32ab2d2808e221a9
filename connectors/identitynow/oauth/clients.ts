// API clients allowed to fetch tokens at POST /oauth/token (client credentials). Secrets are
// kept only as salted scrypt hashes and shown once, at creation. A client is revoked, never
// deleted: its record stays listable and its tokens stop working at once.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { Type, type Static } from 'typebox'
import type { Db } from '../../../core/store/db.ts'
import { ROLES, type Role } from '../../../core/auth/roles.ts'
import { literals } from '../../../core/schema/literals.ts'
import { isoTimestamp } from '../../../core/store/timestamps.ts'
import { IdnErrors } from '../errors.ts'
import { scopesOf } from './scopes.ts'

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>

const Timestamp = Type.String({ format: 'date-time' })

export const ApiClientSchema = Type.Object(
  {
    clientId: Type.String(),
    name: Type.String(),
    role: literals(ROLES),
    scopes: Type.Array(Type.String(), { description: 'the scopes its tokens carry (claim and answer `scope`)' }),
    createdAt: Timestamp,
    revokedAt: Type.Union([Timestamp, Type.Null()]),
  },
  { $id: 'IdentityNowApiClient', title: 'IdentityNowApiClient', additionalProperties: false },
)
export type ApiClient = Static<typeof ApiClientSchema>

export const NewApiClientSchema = Type.Object(
  {
    clientId: Type.String(),
    clientSecret: Type.String({ description: 'shown only in this answer: store it now' }),
    role: ApiClientSchema.properties.role,
    name: Type.String(),
    scopes: ApiClientSchema.properties.scopes,
  },
  { title: 'IdentityNowApiClientCreated', additionalProperties: false },
)
export type NewClient = Static<typeof NewApiClientSchema>

interface Row {
  client_id: string
  name: string
  role: Role
  created_at: Date | string
  revoked_at: Date | string | null
}

const COLUMNS = 'client_id, name, role, created_at, revoked_at'

function fromRow(row: Row): ApiClient {
  return {
    clientId: row.client_id,
    name: row.name,
    role: row.role,
    scopes: scopesOf(row.role),
    createdAt: isoTimestamp(row.created_at),
    revokedAt: row.revoked_at === null ? null : isoTimestamp(row.revoked_at),
  }
}

async function hash(secret: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const derived = await scrypt(secret, salt, 32)
  return `scrypt$${salt.toString('base64')}$${derived.toString('base64')}`
}

export class ApiClientRepository {
  readonly #db: Db

  constructor(db: Db) {
    this.#db = db
  }

  async create(name: string, role: Role): Promise<NewClient> {
    const clientId = randomBytes(16).toString('hex')
    const clientSecret = randomBytes(32).toString('hex')
    await this.#db.query('insert into idn_api_clients (client_id, secret_hash, role, name) values ($1, $2, $3, $4)', [
      clientId,
      await hash(clientSecret),
      role,
      name,
    ])
    return { clientId, clientSecret, role, name, scopes: scopesOf(role) }
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<ApiClient[]> {
    const { rows } = await this.#db.query<Row>(
      `select ${COLUMNS} from idn_api_clients ${options.includeRevoked ? '' : 'where revoked_at is null'}
       order by created_at, client_id`,
    )
    return rows.map(fromRow)
  }

  /** Revokes a client: no new tokens, and the ones it holds stop working at once. */
  async revoke(clientId: string): Promise<ApiClient> {
    const { rows } = await this.#db.query<Row>(
      `update idn_api_clients set revoked_at = coalesce(revoked_at, now()) where client_id = $1 returning ${COLUMNS}`,
      [clientId],
    )
    if (!rows[0]) throw new IdnErrors.API_CLIENT_NOT_FOUND(clientId)
    return fromRow(rows[0])
  }

  /** Is the client known and not revoked? (every token of it is checked, so revocation is immediate) */
  async active(clientId: string): Promise<boolean> {
    const { rows } = await this.#db.query('select 1 from idn_api_clients where client_id = $1 and revoked_at is null', [
      clientId,
    ])
    return rows.length > 0
  }

  /** The client when the secret matches and it is not revoked; undefined otherwise. */
  async authenticate(clientId: string, clientSecret: string): Promise<{ role: Role; name: string } | undefined> {
    const rows = await this.#db.query<{ secret_hash: string; role: Role; name: string; revoked_at: unknown }>(
      'select secret_hash, role, name, revoked_at from idn_api_clients where client_id = $1',
      [clientId],
    )
    const row = rows.rows[0]
    // hash anyway so an unknown id costs as much as a wrong secret
    const [, salt, expected] = (row?.secret_hash ?? `scrypt$${randomBytes(16).toString('base64')}$`).split('$')
    const actual = await hash(clientSecret, Buffer.from(salt ?? '', 'base64'))
    const want = Buffer.from(expected ?? '', 'base64')
    const got = Buffer.from(actual.split('$')[2] ?? '', 'base64')
    if (!row || want.length !== got.length || !timingSafeEqual(want, got)) return undefined
    if (row.revoked_at !== null) return undefined
    return { role: row.role, name: row.name }
  }
}
