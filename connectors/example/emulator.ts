// A tiny local Example: the paged REST API the client speaks, seeded from a seed number (the
// same seed gives the same records), in memory, on a free port. Tests and the sandbox start it
// through the connector's emulator(); test/conformance/example.test.ts runs the conformance
// suite against it. Replace it with a faithful stand-in of the real system as the connector grows.
//
//   GET    /api/v1/me                           who the bearer token belongs to (401 without one)
//   GET    /api/v1/entities                     the entities and their fields
//   GET    /api/v1/records/:entity              ?limit&after (keyset by id) &updatedSince (ISO, inclusive) &ids
//                                               -> { records, next, asOf }
//   POST   /api/v1/records/:entity              values -> the record (201)
//   PATCH  /api/v1/records/:entity/:id          values -> the record
//   DELETE /api/v1/records/:entity/:id          204; 404 { error: 'record' } when there is none
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { EmulatorHandle, EmulatorOptions } from '../../core/connector/contract.ts'
import type { ExampleEntity, ExampleRecord } from './client.ts'

export interface ExampleEmulatorOptions extends EmulatorOptions {
  /** records of the seed (default 25) */
  records?: number
  seed?: number
}

const ENTITIES: ExampleEntity[] = [
  {
    name: 'items',
    label: 'Items',
    fields: [
      { name: 'id', type: 'string', readOnly: true },
      { name: 'name', type: 'string' },
      { name: 'quantity', type: 'integer' },
      { name: 'updatedAt', type: 'datetime', readOnly: true },
    ],
  },
]
const MAX_LIMIT = 1000

export async function startExampleEmulator(options: ExampleEmulatorOptions = {}): Promise<EmulatorHandle> {
  const apiToken = randomBytes(16).toString('hex')
  const tables = new Map<string, Map<string, ExampleRecord>>(ENTITIES.map((e) => [e.name, new Map()]))
  let serial = 0
  // a clock that never goes back and never repeats, so that updatedSince splits changes exactly
  let last = 0
  const now = () => {
    last = Math.max(Date.now(), last + 1)
    return new Date(last).toISOString()
  }
  const nextId = () => `${(++serial).toString(16).padStart(8, '0')}-${randomBytes(4).toString('hex')}`
  let state = options.seed ?? 1
  const random = () => {
    // a small deterministic generator (xorshift): the same seed, the same quantities
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
  const items = tables.get('items') as Map<string, ExampleRecord>
  for (let i = 0; i < (options.records ?? 25); i++) {
    const id = nextId()
    items.set(id, { id, name: `Item ${i + 1}`, quantity: Math.floor(random() * 100), updatedAt: now() })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger?.error({ err: error }, 'the Example emulator failed to answer')
      if (!res.headersSent) send(res, 500, { error: 'internal' })
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.authorization !== `Bearer ${apiToken}`) return send(res, 401, { error: 'unauthorized' })
    const url = new URL(req.url ?? '/', 'http://emulator')
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
    if (parts[0] !== 'api' || parts[1] !== 'v1') return send(res, 404, { error: 'path' })
    if (parts[2] === 'me' && req.method === 'GET') return send(res, 200, { user: 'crosswalk' })
    if (parts[2] === 'entities' && req.method === 'GET') return send(res, 200, { entities: ENTITIES })
    if (parts[2] !== 'records' || !parts[3]) return send(res, 404, { error: 'path' })
    const entity = parts[3]
    const table = tables.get(entity)
    if (!table) return send(res, 404, { error: 'entity', entity })
    const id = parts[4]
    if (id === undefined && req.method === 'GET') return send(res, 200, list(table, url.searchParams))
    if (id === undefined && req.method === 'POST') {
      const record = { ...(await body(req)), id: nextId(), updatedAt: now() }
      table.set(record.id, record)
      return send(res, 201, record)
    }
    const record = id === undefined ? undefined : table.get(id)
    if (!record || id === undefined) return send(res, 404, { error: 'record', entity, id })
    if (req.method === 'PATCH') {
      const updated = { ...record, ...(await body(req)), id, updatedAt: now() }
      table.set(id, updated)
      return send(res, 200, updated)
    }
    if (req.method === 'DELETE') {
      table.delete(id)
      return send(res, 204)
    }
    return send(res, 405, { error: 'method' })
  }

  function list(table: Map<string, ExampleRecord>, query: URLSearchParams) {
    const asOf = now()
    const limit = Math.max(1, Math.min(Number(query.get('limit') ?? 100) || 100, MAX_LIMIT))
    const after = query.get('after')
    const since = query.get('updatedSince')
    const ids = query.get('ids')?.split(',')
    const matching = [...table.values()]
      .filter((r) => (after === null || r.id > after) && (since === null || r.updatedAt >= since))
      .filter((r) => !ids || ids.includes(r.id))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    const records = matching.slice(0, limit)
    const next = matching.length > limit ? (records.at(-1)?.id ?? null) : null
    return { records, next, asOf }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`
  return {
    url,
    connectionSettings: { baseUrl: url, allowHttp: true, apiToken, pageSize: 10 },
    credentials: { apiToken },
    people: [],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

function send(res: ServerResponse, status: number, payload?: unknown): void {
  res.writeHead(status, payload === undefined ? {} : { 'content-type': 'application/json' })
  res.end(payload === undefined ? undefined : JSON.stringify(payload))
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
}
