// Acceptance (issue 16, proof): clients written by others, installed from npm and used
// unmodified, against the emulator over https with a self-signed certificate their own TLS
// options trust:
// - servicenow-rest-api (npm, a Node wrapper of the Table and Attachment APIs on axios): reads
//   with display values, creates, looks up by number, updates, reads attachment metadata and
//   files, deletes;
// - sn-http-request (npm, ServiceNow's JavaScript HTTP client): its default request batching
//   through POST /api/now/v1/batch (reads and writes from one 50 ms window in one batch), and a
//   multipart upload to the Attachment API (FormData bodies are not batched).
import { createRequire } from 'node:module'
import { Agent as HttpsAgent } from 'node:https'
import { test } from 'tap'
import { generate } from 'selfsigned'
import { Agent, getGlobalDispatcher, setGlobalDispatcher, setGlobalOrigin } from 'undici'
import { until } from '../../helpers/until.ts'
import { emulator } from './helpers.ts'

const require = createRequire(import.meta.url)
const AUTH = 'Basic ' + Buffer.from('admin:admin').toString('base64')

async function tls() {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  })
  return { key: pems.private, cert: pems.cert }
}

type Callback = (result: unknown) => void
interface ServiceNowRestApi {
  setNetworkOptions(options: Record<string, unknown>): void
  getTableData(fields: string[], filters: string[], table: string, cb: Callback): void
  createNewTask(data: Record<string, string>, table: string, cb: Callback): void
  getSysId(table: string, number: string, cb: Callback): void
  UpdateTask(table: string, number: string, data: Record<string, string>, cb: Callback): void
  DeleteTask(table: string, number: string, cb: Callback): void
  getAttachmentMetaData(sysId: string, cb: Callback): void
  getAllAttachmentsMetaData(tableSysId: string, cb: Callback): void
  getAttachment(sysId: string, cb: Callback): void
}
const promised = <T>(fn: (cb: Callback) => void): Promise<T> =>
  new Promise((resolve, reject) => fn((result) => (result instanceof Error ? reject(result) : resolve(result as T))))

test('servicenow-rest-api: Table API and attachment reads over https', async (t) => {
  const { key, cert } = await tls()
  const { url, instance } = await emulator(t, { https: { key, cert }, seed: { relations: 20, users: 10 } })
  const host = url.replace('https://', '')
  const ServiceNow = require('servicenow-rest-api') as new (
    instance: string,
    user: string,
    pw: string,
  ) => ServiceNowRestApi
  const sn = new ServiceNow(host, 'admin', 'admin')
  sn.setNetworkOptions({ httpsAgent: new HttpsAgent({ ca: cert }) })

  const created = await promised<Record<string, unknown>>((cb) =>
    sn.createNewTask(
      { short_description: 'From servicenow-rest-api', urgency: '1 - High', impact: '1 - High' },
      'incident',
      cb,
    ),
  )
  t.equal(created.short_description, 'From servicenow-rest-api')
  t.equal(created.priority, '1 - Critical', 'display values in, display values out')
  const number = created.number as string
  t.match(number, /^INC\d{7}$/)

  const rows = await promised<Array<Record<string, string>>>((cb) =>
    sn.getTableData(['number', 'state', 'caller_id'], [`number=${number}`], 'incident', cb),
  )
  t.equal(rows.length, 1)
  t.match(rows[0], { number, state: 'New', caller_id: { display_value: 'System Administrator' } })
  const sysId = await promised<string>((cb) => sn.getSysId('incident', number, cb))
  t.equal(sysId, created.sys_id)

  const updated = await promised<Record<string, string>>((cb) =>
    sn.UpdateTask('incident', number, { state: 'In Progress' }, cb),
  )
  t.equal(updated.state, 'In Progress')
  t.equal(updated.incident_state, 'In Progress')

  const file = instance.attachments.add(
    {
      tableName: 'incident',
      tableSysId: sysId,
      fileName: 'log.txt',
      contentType: 'text/plain',
      bytes: Buffer.from('boot ok'),
    },
    'admin',
  )
  const fileId = file.row[0] as string
  const meta = await promised<Record<string, string>>((cb) => sn.getAttachmentMetaData(fileId, cb))
  t.equal(meta.file_name, 'log.txt')
  const all = await promised<Array<Record<string, string>>>((cb) => sn.getAllAttachmentsMetaData(sysId, cb))
  t.same(
    all.map((a) => a.sys_id),
    [fileId],
  )
  const download = await promised<{ status: number; data: string; headers: Record<string, string> }>((cb) =>
    sn.getAttachment(fileId, cb),
  )
  t.equal(download.status, 200)
  t.equal(download.data, 'boot ok')
  t.equal(JSON.parse(download.headers['x-attachment-metadata'] ?? '{}').file_name, 'log.txt')

  const deleted = await promised<{ status: number }>((cb) => sn.DeleteTask('incident', number, cb))
  t.equal(deleted.status, 204)
  t.notOk(instance.data.get('incident', sysId))
})

interface SnHttp {
  get(url: string, config?: Record<string, unknown>): Promise<{ status: number; data: { result: unknown } }>
  post(url: string, config?: Record<string, unknown>): Promise<{ status: number; data: { result: unknown } }>
  patch(url: string, config?: Record<string, unknown>): Promise<{ status: number; data: { result: unknown } }>
}

test('sn-http-request: batched requests through the Batch API and a multipart attachment upload over https', async (t) => {
  const { key, cert } = await tls()
  const { url, instance } = await emulator(t, { https: { key, cert } })
  // the client speaks through the global fetch with page-relative URLs: the instance is the
  // page's origin, and the global dispatcher carries the TLS trust
  const previous = getGlobalDispatcher()
  setGlobalDispatcher(new Agent({ connect: { ca: cert } }))
  setGlobalOrigin(url)
  t.teardown(() => {
    setGlobalDispatcher(previous)
    setGlobalOrigin(undefined)
  })
  // the library is written for a page: at load it reads settings from, and registers itself on,
  // a `window` object; an empty one stands for the page here
  const g = globalThis as { window?: unknown }
  const hadWindow = 'window' in g
  g.window ??= {}
  t.teardown(() => {
    if (!hadWindow) delete g.window
  })
  const { snHttpFactory } = require('sn-http-request') as { snHttpFactory: (setup: Record<string, unknown>) => SnHttp }
  // the browser XSRF token is not used with Basic credentials; any value keeps the factory quiet
  const snHttp = snHttpFactory({
    xsrfToken: 'unused',
    headers: { Authorization: AUTH },
    batchingOptions: { encodeRequestBodies: true, encodeResponsesBodies: true },
  })
  const config = {}

  const [users, created] = await Promise.all([
    snHttp.get('/api/now/table/sys_user?sysparm_query=user_name=admin&sysparm_fields=user_name', config),
    snHttp.post('/api/now/table/incident', {
      ...config,
      headers: { 'Content-Type': 'application/json' },
      data: { short_description: 'From sn-http-request', impact: '2', urgency: '1' },
    }),
  ])
  t.same(users.data.result, [{ user_name: 'admin' }])
  t.equal(created.status, 201)
  const incident = created.data.result as Record<string, string>
  t.equal(incident.priority, '2')
  const batches = () => instance.requestLog.filter((r) => r.url === '/api/now/v1/batch').length
  // the log is written once the answer is out, which the client may see first
  await until(() => batches() === 1, 'the batch in the request log')
  t.equal(
    instance.requestLog.filter((r) => r.url.startsWith('/api/now/table/')).length,
    2,
    'both requests went in that one batch',
  )

  const unencoded = snHttpFactory({ xsrfToken: 'x', headers: { Authorization: AUTH } })
  const patched = await unencoded.patch(`/api/now/table/incident/${incident.sys_id}`, {
    ...config,
    headers: { 'Content-Type': 'application/json' },
    data: { state: '2' },
  })
  t.equal((patched.data.result as Record<string, string>).incident_state, '2', 'bodies as is (is_encoded false) too')

  const form = new FormData()
  form.append('table_name', 'incident')
  form.append('table_sys_id', incident.sys_id as string)
  form.append('uploadFile', new Blob(['{"ok":true}'], { type: 'application/json' }), 'result.json')
  const uploaded = await snHttp.post('/api/now/attachment/upload', { ...config, data: form })
  t.equal(uploaded.status, 201)
  t.equal((uploaded.data.result as Record<string, string>).file_name, 'result.json')
  t.equal(instance.data.count('sys_attachment'), 1)
  await until(() => instance.requestLog.some((r) => r.url === '/api/now/attachment/upload'), 'the upload logged')
  t.equal(batches(), 2, 'the upload was sent on its own, not batched (the PATCH made the second batch)')
})
