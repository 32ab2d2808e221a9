// A small connector for tests of the connection machinery: it keeps records in memory and
// "checks" by looking at its settings, so tests can drive success and failure without a network.
import { Type } from 'typebox'
import type { Connector, ConnectionContext } from '../../core/connector/contract.ts'

// a type alias (not an interface) so it fits Record<string, unknown>
export type MemoSettings = {
  url: string
  username: string
  password: string
  auth?: { clientId: string; clientSecret: string }
  pageSize: number
}

export function memoConnector(name = 'memo'): Connector<MemoSettings> {
  return {
    name,
    title: 'In-memory test connector',
    version: '1.0.0',
    configSchema: Type.Object(
      {
        url: Type.String({ format: 'uri', pattern: '^https?://' }),
        username: Type.String({ minLength: 1 }),
        password: Type.String({ minLength: 1, secret: true }),
        auth: Type.Optional(
          Type.Object({ clientId: Type.String(), clientSecret: Type.String({ minLength: 1, secret: true }) }),
        ),
        pageSize: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
      },
      { additionalProperties: false },
    ),
    secretFields: ['password', 'auth.clientSecret'],
    capabilities: ['read'],
    async check(conn: ConnectionContext<MemoSettings>) {
      if (conn.settings.password !== conn.secrets.password) return { ok: false, message: 'secret not merged' }
      if (conn.settings.password === 'wrong')
        return { ok: false, message: `login as ${conn.settings.username} was refused` }
      return { ok: true, message: `reached ${conn.settings.url} as ${conn.settings.username}` }
    },
    async *read() {
      yield { records: [{ id: '1' }], cursor: null }
    },
  } as Connector<MemoSettings>
}
