// The emulator's own admin API under /emulator/admin (not a ServiceNow API): create custom u_
// tables and columns, switch faults, rate-limit rules, ACLs, users, OAuth clients and change
// notifications, load records. Test-and-sandbox only; it has no authentication.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { AclRule } from '../auth/acl.ts'
import type { OAuthClient } from '../auth/oauth.ts'
import type { ServiceNowEmulator } from '../emulator.ts'
import { EmulatorErrors } from '../errors.ts'
import type { FaultSpec } from '../faults/faults.ts'
import type { RateLimitRule } from '../limits/rate-limit.ts'
import type { NotificationRule } from '../notifications/dispatcher.ts'
import { FIELD_TYPES, type FieldDef, type FieldType, type TableDef } from '../schema/types.ts'
import { toStoredString } from '../table-api/write-values.ts'

const BASE = '/emulator/admin'

function bodyOf(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string' || raw.trim() === '') return {}
  try {
    const parsed: unknown = JSON.parse(raw)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>
  } catch {
    // fall through
  }
  throw new EmulatorErrors.ADMIN_INVALID('body must be a JSON object')
}

export function toFieldDef(raw: unknown): FieldDef {
  if (!raw || typeof raw !== 'object') throw new EmulatorErrors.ADMIN_INVALID('a field must be an object')
  const f = raw as Record<string, unknown>
  const name = typeof f.name === 'string' ? f.name : ''
  const type = typeof f.type === 'string' ? f.type : 'string'
  if (!FIELD_TYPES.has(type)) throw new EmulatorErrors.ADMIN_INVALID(`field type "${type}" is not supported`)
  const def: FieldDef = { name, label: typeof f.label === 'string' ? f.label : name, type: type as FieldType }
  if (typeof f.reference === 'string') def.reference = f.reference
  if (typeof f.maxLength === 'number') def.maxLength = f.maxLength
  if (f.mandatory === true) def.mandatory = true
  if (typeof f.defaultValue === 'string') def.defaultValue = f.defaultValue
  if (Array.isArray(f.choices)) {
    def.choices = f.choices.map((c: unknown) => {
      const choice = c as { value?: unknown; label?: unknown }
      return { value: toStoredString(choice.value), label: toStoredString(choice.label ?? choice.value) }
    })
  }
  return def
}

export function registerAdminApi(app: FastifyInstance, emulator: ServiceNowEmulator): void {
  const ok = (reply: FastifyReply, status: number, payload: unknown) =>
    reply.code(status).header('content-type', 'application/json').send(JSON.stringify(payload))
  const guarded =
    (fn: (body: Record<string, unknown>, params: Record<string, string>) => [number, unknown]) =>
    async (request: { body: unknown; params: unknown }, reply: FastifyReply) => {
      try {
        const [status, payload] = fn(bodyOf(request.body), (request.params ?? {}) as Record<string, string>)
        return ok(reply, status, payload)
      } catch (err) {
        const e = err as { statusCode?: number; code?: string; message?: string }
        return ok(reply, e.statusCode && e.statusCode < 500 ? e.statusCode : 400, {
          error: { code: e.code ?? 'CW_SNEMU_ADMIN_INVALID', message: e.message ?? String(err) },
        })
      }
    }

  app.get(`${BASE}/health`, async (_r, reply) => ok(reply, 200, { ok: true }))

  // every collection the README lists answers GET with what it holds
  const read =
    (fn: (params: Record<string, string>, search: URLSearchParams) => unknown) =>
    async (request: { body: unknown; params: unknown; url: string }, reply: FastifyReply) => {
      const q = request.url.indexOf('?')
      const search = new URLSearchParams(q < 0 ? '' : request.url.slice(q + 1))
      return guarded((_b, p) => [200, fn(p, search)])(request, reply)
    }
  app.get(
    `${BASE}/tables`,
    read(() => ({
      tables: emulator.data.schema.tableNames().map((name) => {
        const t = emulator.data.table(name)
        return { name, label: t.def.label, super_class: t.def.superClass ?? '', rows: emulator.data.count(name) }
      }),
    })),
  )
  app.get(
    `${BASE}/tables/:table/fields`,
    read((p) => ({ table: p.table, fields: [...emulator.data.table(p.table ?? '').fields.values()] })),
  )
  app.get(
    `${BASE}/records/:table`,
    read((p, search) => {
      const limit = Number(search.get('limit') ?? 100)
      return { table: p.table, records: emulator.data.sample(p.table ?? '', Number.isFinite(limit) ? limit : 100) }
    }),
  )
  app.get(
    `${BASE}/rate-limits`,
    read(() => ({ rules: emulator.rateLimits.list() })),
  )
  app.get(
    `${BASE}/concurrency`,
    read(() => emulator.concurrency.options),
  )
  app.get(
    `${BASE}/acl`,
    read(() => ({ rules: emulator.acl.list() })),
  )
  app.get(
    `${BASE}/users`,
    read(() => ({ users: emulator.users.list() })),
  )
  app.get(
    `${BASE}/oauth-clients`,
    read(() => ({ clients: emulator.oauth.listClients() })),
  )

  app.post(
    `${BASE}/tables`,
    guarded((b) => {
      const def: TableDef = {
        name: String(b.name ?? ''),
        label: String(b.label ?? b.name ?? ''),
        ...(typeof b.super_class === 'string' ? { superClass: b.super_class } : {}),
        ...(b.extensible === true ? { extensible: true } : {}),
        ...(typeof b.display_field === 'string' ? { displayField: b.display_field } : {}),
        fields: Array.isArray(b.fields) ? b.fields.map(toFieldDef) : [],
      }
      const t = emulator.data.schema.addTable(def)
      return [201, { name: t.name, fields: t.fieldNames }]
    }),
  )
  app.post(
    `${BASE}/tables/:table/fields`,
    guarded((b, p) => {
      emulator.data.schema.addField(p.table ?? '', toFieldDef(b))
      return [201, { table: p.table, field: b.name }]
    }),
  )
  app.post(
    `${BASE}/records/:table`,
    guarded((b, p) => {
      const rows = Array.isArray(b.records) ? b.records : []
      const ids = rows.map((r) => {
        const values: Record<string, string> = {}
        for (const [k, v] of Object.entries(r as Record<string, unknown>)) values[k] = toStoredString(v)
        const { sys_id: sysId, ...rest } = values
        const ref = emulator.data.insert(p.table ?? '', rest, 'admin', sysId || undefined)
        return ref.row[0]
      })
      return [201, { sys_ids: ids }]
    }),
  )
  app.post(
    `${BASE}/faults`,
    guarded((b) => [201, { id: emulator.faults.add(b as unknown as FaultSpec) }]),
  )
  app.get(`${BASE}/faults`, async (_r, reply) => ok(reply, 200, { faults: emulator.faults.list() }))
  app.delete(
    `${BASE}/faults`,
    guarded(() => {
      emulator.faults.clear()
      return [200, { cleared: true }]
    }),
  )
  app.delete(
    `${BASE}/faults/:id`,
    guarded((_b, p) => {
      emulator.faults.remove(Number(p.id))
      return [200, { removed: Number(p.id) }]
    }),
  )
  app.post(
    `${BASE}/rate-limits`,
    guarded((b) => [201, { sys_id: emulator.rateLimits.add(b as unknown as RateLimitRule) }]),
  )
  app.delete(
    `${BASE}/rate-limits`,
    guarded(() => {
      emulator.rateLimits.clear()
      return [200, { cleared: true }]
    }),
  )
  app.put(
    `${BASE}/concurrency`,
    guarded((b) => {
      if (typeof b.maxConcurrent === 'number') emulator.concurrency.options.maxConcurrent = b.maxConcurrent
      if (typeof b.queueDepth === 'number') emulator.concurrency.options.queueDepth = b.queueDepth
      return [200, emulator.concurrency.options]
    }),
  )
  app.post(
    `${BASE}/acl`,
    guarded((b) => {
      emulator.acl.add(b as unknown as AclRule)
      return [201, { rules: emulator.acl.list() }]
    }),
  )
  app.delete(
    `${BASE}/acl`,
    guarded(() => {
      emulator.acl.clear()
      return [200, { cleared: true }]
    }),
  )
  app.post(
    `${BASE}/users`,
    guarded((b) => {
      const roles = Array.isArray(b.roles) ? b.roles.map(String) : []
      const account = emulator.users.add({
        userName: String(b.userName ?? ''),
        password: String(b.password ?? ''),
        roles,
      })
      return [201, { sys_id: account.sysId }]
    }),
  )
  app.post(
    `${BASE}/oauth-clients`,
    guarded((b) => {
      emulator.oauth.addClient(b as unknown as OAuthClient)
      return [201, { client_id: b.clientId }]
    }),
  )
  app.post(
    `${BASE}/notifications`,
    guarded((b) => [201, { id: emulator.notifications.add(b as unknown as NotificationRule) }]),
  )
  app.get(`${BASE}/notifications`, async (_r, reply) =>
    ok(reply, 200, { rules: emulator.notifications.list(), deliveries: emulator.notifications.deliveries }),
  )
  app.delete(
    `${BASE}/notifications/:id`,
    guarded((_b, p) => {
      emulator.notifications.remove(Number(p.id))
      return [200, { removed: Number(p.id) }]
    }),
  )
}
