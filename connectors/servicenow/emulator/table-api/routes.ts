// Table API: /api/now/table, /api/now/v1/table and /api/now/v2/table (docs/reference/servicenow.md §1).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { parseEncodedQuery, type EncodedQuery } from '../../encoded-query/index.ts'
import type { ServiceNowEmulator } from '../emulator.ts'
import { respond, respondError, stateOf } from '../http/respond.ts'
import type { RecordRef } from '../instance/instance.ts'
import { executeList } from '../query/execute.ts'
import { isQueryError } from '../query/query-error.ts'
import { formatGlideDateTime } from '../instance/glide-time.ts'
import { SYS_ID_PATTERN } from '../instance/sys-id.ts'
import { applyTaskRules } from '../instance/task-rules.ts'
import { mutateTable } from '../faults/mutate.ts'
import type { RecordValues } from '../instance/instance.ts'
import {
  DictionaryRefusal,
  planDictionaryWrite,
  type DictionaryOperation,
  type DictionaryWrite,
} from '../schema/dictionary-records.ts'
import { SnErrors } from './envelope.ts'
import { linkHeader } from './link-header.ts'
import { parseTableParams, type TableParams } from './params.ts'
import { DisplayCache, planFields, serializeRecord, type SerializeOptions } from './serialize.ts'
import { dateDisplayOf } from './date-display.ts'
import { writeValues } from './write-values.ts'

const PREFIXES = ['/api/now/table', '/api/now/v1/table', '/api/now/v2/table']

interface TableRoute {
  Params: { table: string; sys_id?: string }
}

const searchOf = (request: FastifyRequest): URLSearchParams => {
  const q = request.url.indexOf('?')
  return new URLSearchParams(q < 0 ? '' : request.url.slice(q + 1))
}
const pathOf = (request: FastifyRequest): string => {
  const q = request.url.indexOf('?')
  return q < 0 ? request.url : request.url.slice(0, q)
}

/** name=value pairs become conditions; display values are accepted for choices and references */
function nameValueQuery(emulator: ServiceNowEmulator, table: string, pairs: Array<[string, string]>): string {
  const t = emulator.data.table(table)
  return pairs
    .filter(([k]) => t.fields.has(k))
    .map(([k, v]) => {
      const def = t.fields.get(k)
      const value =
        def?.type === 'choice' ? (def.choices?.find((c) => c.label.toLowerCase() === v.toLowerCase())?.value ?? v) : v
      return `${k}=${value}`
    })
    .join('^')
}

export function registerTableApi(app: FastifyInstance, emulator: ServiceNowEmulator): void {
  const data = emulator.data
  const serializeOptions = (p: TableParams): SerializeOptions => ({
    displayValue: p.displayValue,
    excludeReferenceLink: p.excludeReferenceLink,
    baseUrl: emulator.baseUrl,
    // read once per answer, and only if a `variables.` field asks for it
    itemVariables: emulator.itemVariables.page(),
  })
  const userOf = (request: FastifyRequest) => {
    const u = stateOf(request).user
    if (!u) throw new Error('pipeline let an unauthenticated request through')
    return u
  }
  /** display values are shown in the calling user's time zone and date format */
  const displayCacheFor = (request: FastifyRequest) =>
    new DisplayCache(data, dateDisplayOf(data, stateOf(request).user?.sysId))
  const knownTable = (request: FastifyRequest<TableRoute>, reply: FastifyReply): boolean => {
    if (data.schema.has(request.params.table)) return true
    respondError(request, reply, SnErrors.invalidTable(request.params.table))
    return false
  }
  const readable = (request: FastifyRequest, table: string, ref: RecordRef): boolean =>
    emulator.acl.canAccessRow(userOf(request), table, 'read', ref)

  const single = (request: FastifyRequest, reply: FastifyReply, table: string, ref: RecordRef, status: number) => {
    const p = parseTableParams(searchOf(request))
    const plans = planFields(data, table, p.fields)
    const result = serializeRecord(data, ref, plans, serializeOptions(p), displayCacheFor(request))
    const headers: Record<string, string> = {}
    if (status === 201) headers.location = `${emulator.baseUrl}/api/now/table/${table}/${result.sys_id ?? ref.row[0]}`
    if (request.method !== 'GET' && String(request.headers['x-no-response-body']).toLowerCase() === 'true') {
      return respond(request, reply, status === 201 ? 201 : 204, undefined, { headers })
    }
    return respond(request, reply, status, { result }, { headers, payloadCap: emulator.responsePayloadCap })
  }

  const list = async (request: FastifyRequest<TableRoute>, reply: FastifyReply) => {
    if (!knownTable(request, reply)) return reply
    const { table } = request.params
    const user = userOf(request)
    if (!emulator.acl.canAccessTable(user, table, 'read')) return respondError(request, reply, SnErrors.readDenied())
    const search = searchOf(request)
    const p = parseTableParams(search)
    const text = p.query || nameValueQuery(emulator, table, p.nameValueFilters)
    let query: EncodedQuery
    try {
      query = parseEncodedQuery(text)
    } catch (err) {
      if (isQueryError(err)) return respondError(request, reply, SnErrors.invalidQuery(err.message))
      throw err
    }
    const path = pathOf(request)
    let result
    try {
      result = executeList(data, {
        table,
        query,
        offset: p.offset,
        limit: p.limit,
        withCount: !p.noCount,
        unstableOrder: emulator.faults.isOn('unstable-order', path) !== undefined,
        evaluation: {
          now: data.now(),
          userSysId: user.sysId,
          caseSensitive: emulator.caseSensitiveQueries,
          invalidQueryReturnsNoRows: emulator.invalidQueryReturnsNoRows,
        },
      })
    } catch (err) {
      if (isQueryError(err)) return respondError(request, reply, SnErrors.invalidQuery(err.message))
      throw err
    }
    // ACLs run on the rows of the page after the limit was applied: pages can come back short
    const visible = emulator.acl.hasRowRules(table, 'read')
      ? result.refs.filter((ref) => readable(request, table, ref))
      : result.refs
    const pageWasFull = result.refs.length === p.limit
    if (visible.length === 0 && path.startsWith('/api/now/v1/'))
      return respondError(request, reply, SnErrors.noRecordsMatch())

    const headers: Record<string, string> = {}
    if (result.total !== undefined) headers['x-total-count'] = String(result.total)
    if (!p.suppressPaginationHeader) {
      headers.link = linkHeader(emulator.baseUrl, path, search, p.limit, p.offset, result.total, pageWasFull)
    }
    const plans = planFields(data, table, p.fields)
    const opts = serializeOptions(p)
    const cache = displayCacheFor(request)
    const rows = visible.map((ref) => serializeRecord(data, ref, plans, opts, cache))
    // slow-page: a slow instance's page takes delayMs in all, its own query and serialisation
    // included, so the finished answer waits only for what is left of that time
    const slow = emulator.faults.isOn('slow-page', path)
    const notBefore = slow?.delayMs ? (stateOf(request).startedAt ?? performance.now()) + slow.delayMs : undefined
    const sent = respond(
      request,
      reply,
      200,
      { result: rows },
      { headers, payloadCap: emulator.responsePayloadCap, notBefore },
    )
    const mutate = emulator.faults.isOn('mutate-between-pages', path)
    if (mutate) mutateTable(data, mutate)
    return sent
  }

  const getOne = async (request: FastifyRequest<TableRoute>, reply: FastifyReply) => {
    if (!knownTable(request, reply)) return reply
    const { table, sys_id: sysId = '' } = request.params
    if (!emulator.acl.canAccessTable(userOf(request), table, 'read'))
      return respondError(request, reply, SnErrors.readDenied())
    const ref = data.get(table, sysId)
    if (!ref || !readable(request, table, ref)) return respondError(request, reply, SnErrors.recordNotFound())
    return single(request, reply, table, ref, 200)
  }

  /**
   * A write to sys_db_object or sys_dictionary makes, changes or drops a table or column: planned
   * first (false: refused and answered), applied by the caller once the record is written.
   */
  const planSchemaChange = (
    request: FastifyRequest,
    reply: FastifyReply,
    operation: DictionaryOperation,
    table: string,
    values: RecordValues,
    existing?: RecordValues,
  ): DictionaryWrite | undefined | false => {
    try {
      return planDictionaryWrite(data, operation, table, values, existing)
    } catch (err) {
      if (!(err instanceof DictionaryRefusal)) throw err
      respondError(request, reply, SnErrors.dictionaryRefused(err.message))
      return false
    }
  }

  const bodyOf = (request: FastifyRequest, reply: FastifyReply): Record<string, unknown> | undefined => {
    const contentType = request.headers['content-type']
    const raw = typeof request.body === 'string' ? request.body : ''
    // a write with no body at all needs no Content-Type: a bodyless POST inserts a record with
    // defaults (docs/reference/servicenow.md §1.1)
    if (!contentType) {
      if (raw.trim() === '') return {}
      respondError(request, reply, SnErrors.contentTypeRequired())
      return undefined
    }
    let parsed: unknown
    if (/json/i.test(contentType)) {
      try {
        parsed = raw.trim() === '' ? {} : JSON.parse(raw)
      } catch (err) {
        respondError(request, reply, SnErrors.badRequestBody(err instanceof Error ? err.message : String(err)))
        return undefined
      }
    } else {
      respondError(request, reply, SnErrors.unsupportedMediaType(contentType))
      return undefined
    }
    // an array body: only the first element is processed (D-TABLE)
    const first = Array.isArray(parsed) ? parsed[0] : parsed
    return first && typeof first === 'object' ? (first as Record<string, unknown>) : {}
  }

  const create = async (request: FastifyRequest<TableRoute>, reply: FastifyReply) => {
    if (!knownTable(request, reply)) return reply
    const { table } = request.params
    const body = bodyOf(request, reply)
    if (!body) return reply
    const user = userOf(request)
    if (!emulator.acl.canAccessTable(user, table, 'create'))
      return respondError(request, reply, SnErrors.writeDenied('Insert'))
    const p = parseTableParams(searchOf(request))
    const values = applyTaskRules(data, table, writeValues(data, table, body, p.inputDisplayValue), undefined, {
      userSysId: user.sysId,
      now: formatGlideDateTime(data.now()),
    })
    const missing = [...data.table(table).fields.values()]
      .filter((f) => f.mandatory && !values[f.name] && !f.defaultValue)
      .map((f) => f.name)
    if (missing.length > 0) return respondError(request, reply, SnErrors.mandatoryMissing(missing))
    // a GUID in the body becomes the record's sys_id (clients insert with known ids: idempotent
    // inserts, migrations); the other sys_* fields stay the system's
    const given = typeof body.sys_id === 'string' ? body.sys_id.toLowerCase() : undefined
    const sysId = given !== undefined && SYS_ID_PATTERN.test(given) ? given : undefined
    if (sysId !== undefined && data.storeOf(data.table(table)).get(sysId))
      return respondError(request, reply, SnErrors.duplicateSysId(table, sysId))
    const change = planSchemaChange(request, reply, 'insert', table, values)
    if (change === false) return reply
    const ref = data.insert(table, change?.values ?? values, user.userName, sysId)
    change?.apply(ref.store.value(ref.row, 'sys_id'))
    return single(request, reply, table, ref, 201)
  }

  const update = async (request: FastifyRequest<TableRoute>, reply: FastifyReply) => {
    if (!knownTable(request, reply)) return reply
    const { table, sys_id: sysId = '' } = request.params
    const body = bodyOf(request, reply)
    if (!body) return reply
    const user = userOf(request)
    const existing = data.get(table, sysId)
    if (!existing || !readable(request, table, existing)) return respondError(request, reply, SnErrors.recordNotFound())
    if (
      !emulator.acl.canAccessTable(user, table, 'write') ||
      !emulator.acl.canAccessRow(user, table, 'write', existing)
    ) {
      return respondError(request, reply, SnErrors.writeDenied('Update'))
    }
    const p = parseTableParams(searchOf(request))
    const values = applyTaskRules(
      data,
      existing.table,
      writeValues(data, existing.table, body, p.inputDisplayValue),
      data.values(existing),
      { userSysId: user.sysId, now: formatGlideDateTime(data.now()) },
    )
    const change = planSchemaChange(request, reply, 'update', existing.table, values, data.values(existing))
    if (change === false) return reply
    const ref = data.update(table, sysId, change?.values ?? values, user.userName)
    change?.apply(sysId)
    return single(request, reply, table, ref ?? existing, 200)
  }

  const remove = async (request: FastifyRequest<TableRoute>, reply: FastifyReply) => {
    if (!knownTable(request, reply)) return reply
    const { table, sys_id: sysId = '' } = request.params
    const user = userOf(request)
    const existing = data.get(table, sysId)
    if (!existing || !readable(request, table, existing)) return respondError(request, reply, SnErrors.recordNotFound())
    if (
      !emulator.acl.canAccessTable(user, table, 'delete') ||
      !emulator.acl.canAccessRow(user, table, 'delete', existing)
    ) {
      return respondError(request, reply, SnErrors.writeDenied('Delete'))
    }
    const change = planSchemaChange(request, reply, 'delete', existing.table, {}, data.values(existing))
    if (change === false) return reply
    data.delete(table, sysId)
    change?.apply(sysId)
    return respond(request, reply, 204, undefined)
  }

  for (const prefix of PREFIXES) {
    app.get<TableRoute>(`${prefix}/:table`, list)
    app.post<TableRoute>(`${prefix}/:table`, create)
    app.get<TableRoute>(`${prefix}/:table/:sys_id`, getOne)
    app.put<TableRoute>(`${prefix}/:table/:sys_id`, update)
    app.patch<TableRoute>(`${prefix}/:table/:sys_id`, update)
    app.delete<TableRoute>(`${prefix}/:table/:sys_id`, remove)
  }
}

/** collection paths that exist for some method: a request with another method gets 405 */
export const TABLE_PATH = /^\/api\/now\/(?:v[12]\/)?table\/[^/]+(?:\/[^/]+)?$/
