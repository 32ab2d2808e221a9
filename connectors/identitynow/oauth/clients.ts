// API clients allowed to fetch tokens at POST /oauth/token (client credentials). Secrets are
// kept only as salted scrypt hashes and shown once, at creation.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import type { Db } from '../../../core/store/db.ts'
import type { Role } from '../../../core/auth/roles.ts'

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>

export interface NewClient {
  clientId: string
  clientSecret: string
  role: Role
  name: string
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
    return { clientId, clientSecret, role, name }
  }

  /** The client when the secret matches; undefined otherwise. */
  async authenticate(clientId: string, clientSecret: string): Promise<{ role: Role; name: string } | undefined> {
    const rows = await this.#db.query<{ secret_hash: string; role: Role; name: string }>(
      'select secret_hash, role, name from idn_api_clients where client_id = $1',
      [clientId],
    )
    const row = rows.rows[0]
    // hash anyway so an unknown id costs as much as a wrong secret
    const [, salt, expected] = (row?.secret_hash ?? `scrypt$${randomBytes(16).toString('base64')}$`).split('$')
    const actual = await hash(clientSecret, Buffer.from(salt ?? '', 'base64'))
    const want = Buffer.from(expected ?? '', 'base64')
    const got = Buffer.from(actual.split('$')[2] ?? '', 'base64')
    if (!row || want.length !== got.length || !timingSafeEqual(want, got)) return undefined
    return { role: row.role, name: row.name }
  }

  async remove(clientId: string): Promise<boolean> {
    const deleted = await this.#db.query('delete from idn_api_clients where client_id = $1', [clientId])
    return deleted.affectedRows > 0
  }
}
