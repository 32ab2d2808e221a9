// Attachment API: /api/now/attachment and /api/now/v1/attachment
// (https://www.servicenow.com/docs/r/api-reference/rest-apis/c_AttachmentAPI.html):
//   GET  ''                 metadata list (sysparm_query on sys_attachment, sysparm_limit default
//                           1000, sysparm_offset), X-Total-Count
//   GET  /{sys_id}          metadata; 404 when missing
//   GET  /{sys_id}/file     the bytes in their own Content-Type, X-Attachment-Metadata
//   POST /file              raw body; table_name, table_sys_id, file_name in the query; the
//                           Content-Type header is the file's; 201 + Location (the file URL, as
//                           captured from an instance in swimlane/techpubs-knowledgecenter)
//   POST /upload            multipart/form-data: table_name and table_sys_id fields first, the
//                           file part last with its own Content-Type; 201 + Location
//   DELETE /{sys_id}        204
// Bodies are read as bytes here (the rest of the emulator reads them as text), in a child
// context with its own body parsers.
import multipart from '@fastify/multipart'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { parseEncodedQuery } from '../../encoded-query/index.ts'
import type { ServiceNowEmulator } from '../emulator.ts'
import { respond, respondError, stateOf } from '../http/respond.ts'
import { executeList } from '../query/execute.ts'
import { isQueryError } from '../query/query-error.ts'
import { SnErrors, snError } from '../table-api/envelope.ts'

const PREFIXES = ['/api/now/attachment', '/api/now/v1/attachment']
/** documented default page size of the list */
const DEFAULT_LIMIT = 1000

interface OneRoute {
  Params: { sys_id: string }
}

const searchOf = (request: FastifyRequest): URLSearchParams => {
  const q = request.url.indexOf('?')
  return new URLSearchParams(q < 0 ? '' : request.url.slice(q + 1))
}

const missingParameters = (names: string[]) =>
  snError(400, 'Failed to create the attachment', `Missing or invalid parameters: ${names.join(', ')}`)
const notFound = () => snError(404, "Record doesn't exist or ACL restricts the record retrieval", null)

export function registerAttachmentApi(app: FastifyInstance, emulator: ServiceNowEmulator): void {
  const data = emulator.data
  const files = emulator.attachments

  app.register(async (child) => {
    child.removeAllContentTypeParsers()
    await child.register(multipart, { limits: { fileSize: 1024 * 1024 * 1024, files: 1 } })
    child.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))

    const userOf = (request: FastifyRequest) => {
      const user = stateOf(request).user
      if (!user) throw new Error('pipeline let an unauthenticated request through')
      return user
    }

    /** the record a new attachment goes to must exist and be writable by the caller */
    const target = (request: FastifyRequest, reply: FastifyReply, table: string, sysId: string): boolean => {
      if (!data.schema.has(table)) {
        respondError(request, reply, SnErrors.invalidTable(table))
        return false
      }
      const user = userOf(request)
      const record = data.get(table, sysId)
      if (!record || !emulator.acl.canAccessRow(user, table, 'read', record)) {
        respondError(request, reply, notFound())
        return false
      }
      if (
        !emulator.acl.canAccessTable(user, table, 'write') ||
        !emulator.acl.canAccessTable(user, 'sys_attachment', 'create')
      ) {
        respondError(request, reply, SnErrors.writeDenied('Insert'))
        return false
      }
      return true
    }

    const created = (request: FastifyRequest, reply: FastifyReply, sysId: string) => {
      const ref = files.get(sysId)
      if (!ref) throw new Error('attachment vanished while it was created')
      const location = `${emulator.baseUrl}/api/now/attachment/${sysId}/file`
      return respond(request, reply, 201, { result: files.metadata(ref, emulator.baseUrl) }, { headers: { location } })
    }

    const list = async (request: FastifyRequest, reply: FastifyReply) => {
      if (!emulator.acl.canAccessTable(userOf(request), 'sys_attachment', 'read'))
        return respondError(request, reply, SnErrors.readDenied())
      const search = searchOf(request)
      const limit = Number.parseInt(search.get('sysparm_limit') ?? '', 10)
      const offset = Number.parseInt(search.get('sysparm_offset') ?? '', 10)
      let result
      try {
        result = executeList(data, {
          table: 'sys_attachment',
          query: parseEncodedQuery(search.get('sysparm_query') ?? ''),
          offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
          limit: Number.isFinite(limit) && limit > 0 ? limit : DEFAULT_LIMIT,
          withCount: true,
          evaluation: { now: data.now(), userSysId: userOf(request).sysId },
        })
      } catch (err) {
        if (isQueryError(err)) return respondError(request, reply, SnErrors.invalidQuery(err.message))
        throw err
      }
      return respond(
        request,
        reply,
        200,
        { result: result.refs.map((ref) => files.metadata(ref, emulator.baseUrl)) },
        { headers: { 'x-total-count': String(result.total ?? result.refs.length) } },
      )
    }

    const one = async (request: FastifyRequest<OneRoute>, reply: FastifyReply) => {
      const ref = files.get(request.params.sys_id)
      if (!ref) return respondError(request, reply, notFound())
      return respond(request, reply, 200, { result: files.metadata(ref, emulator.baseUrl) })
    }

    const download = async (request: FastifyRequest<OneRoute>, reply: FastifyReply) => {
      const ref = files.get(request.params.sys_id)
      if (!ref) return respondError(request, reply, notFound())
      const meta = files.metadata(ref, emulator.baseUrl)
      return reply
        .code(200)
        .header('content-type', meta.content_type || 'application/octet-stream')
        .header('x-attachment-metadata', JSON.stringify(meta))
        .send(files.bytes(request.params.sys_id))
    }

    const uploadRaw = async (request: FastifyRequest, reply: FastifyReply) => {
      const search = searchOf(request)
      const params = { table_name: '', table_sys_id: '', file_name: '' }
      for (const k of Object.keys(params) as Array<keyof typeof params>) params[k] = search.get(k) ?? ''
      const missing = Object.entries(params)
        .filter(([, v]) => v === '')
        .map(([k]) => k)
      const contentType = request.headers['content-type']
      if (!contentType) missing.push('Content-Type')
      if (missing.length > 0) return respondError(request, reply, missingParameters(missing))
      if (!target(request, reply, params.table_name, params.table_sys_id)) return reply
      const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.from(String(request.body ?? ''))
      const ref = files.add(
        {
          tableName: params.table_name,
          tableSysId: params.table_sys_id,
          fileName: params.file_name,
          contentType: contentType as string,
          bytes,
        },
        userOf(request).userName,
      )
      return created(request, reply, ref.row[0] as string)
    }

    const uploadMultipart = async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.isMultipart()) return respondError(request, reply, missingParameters(['multipart/form-data body']))
      const fields: Record<string, string> = {}
      let file: { name: string; type: string; bytes: Buffer } | undefined
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          file = { name: part.filename, type: part.mimetype, bytes: await part.toBuffer() }
        } else {
          fields[part.fieldname] = String(part.value)
        }
      }
      const missing = ['table_name', 'table_sys_id'].filter((k) => !fields[k])
      if (!file) missing.push('file')
      if (missing.length > 0 || !file) return respondError(request, reply, missingParameters(missing))
      const table = fields.table_name as string
      if (!target(request, reply, table, fields.table_sys_id as string)) return reply
      const ref = files.add(
        {
          tableName: table,
          tableSysId: fields.table_sys_id as string,
          fileName: fields.file_name || file.name,
          contentType: file.type || 'application/octet-stream',
          bytes: file.bytes,
        },
        userOf(request).userName,
      )
      return created(request, reply, ref.row[0] as string)
    }

    const remove = async (request: FastifyRequest<OneRoute>, reply: FastifyReply) => {
      const ref = files.get(request.params.sys_id)
      if (!ref) return respondError(request, reply, notFound())
      if (!emulator.acl.canAccessTable(userOf(request), 'sys_attachment', 'delete'))
        return respondError(request, reply, SnErrors.writeDenied('Delete'))
      files.delete(request.params.sys_id)
      return respond(request, reply, 204, undefined)
    }

    for (const prefix of PREFIXES) {
      child.get(prefix, list)
      child.post(`${prefix}/file`, uploadRaw)
      child.post(`${prefix}/upload`, uploadMultipart)
      child.get<OneRoute>(`${prefix}/:sys_id`, one)
      child.get<OneRoute>(`${prefix}/:sys_id/file`, download)
      child.delete<OneRoute>(`${prefix}/:sys_id`, remove)
    }
  })
}
