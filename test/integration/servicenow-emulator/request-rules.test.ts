// Request rules an instance applies before and around the APIs (issue 16, emulator points 1, 2
// and 9): Accept defaults to JSON and an unsupported type is 406, authentication comes first,
// a sys_id in a POST body is the new record's, a bodyless POST inserts defaults, and requests too
// large for the front end or with an over-long table name are answered as an instance does.
// Facts: docs/reference/servicenow.md §1.1 and §1.5, the REST API header tables
// (https://www.servicenow.com/docs/r/api-reference/rest-api-explorer/c_RESTAPI.html), PySNC's
// live test_nonjson_error (https://github.com/ServiceNow/PySNC/blob/main/test/test_snc_api.py).
import { request as httpRequest } from 'node:http'
import { test } from 'tap'
import { ADMIN, basic, call, emulator } from './helpers.ts'

/** a raw request: fetch always adds an Accept header, an instance's clients do not all do */
function raw(
  url: string,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

test('no Accept header answers JSON; an unsupported Accept answers 406', async (t) => {
  const { url } = await emulator(t)
  const none = await raw(url, '/api/now/table/sys_user?sysparm_limit=1', { authorization: ADMIN })
  t.equal(none.status, 200)
  t.match(none.type, /^application\/json/)
  t.equal(JSON.parse(none.text).result.length, 1)

  const html = await raw(url, '/api/now/table/sys_user', { authorization: ADMIN, accept: 'text/html' })
  t.equal(html.status, 406)
  t.equal(JSON.parse(html.text).status, 'failure')
  const mixed = await raw(url, '/api/now/table/sys_user?sysparm_limit=1', {
    authorization: ADMIN,
    accept: 'text/html, application/json;q=0.9',
  })
  t.equal(mixed.status, 200, 'one supported type among others is enough')
})

test('authentication is checked before any other validation', async (t) => {
  const { url } = await emulator(t)
  const wrong = basic('admin', 'wrong')
  const noAccept = await raw(url, '/api/now/table/sys_user', { authorization: wrong })
  t.equal(noAccept.status, 401, 'bad password, no Accept: 401')
  t.equal(JSON.parse(noAccept.text).error.message, 'User Not Authenticated')
  const badAccept = await raw(url, '/api/now/table/sys_user', { authorization: wrong, accept: 'text/html' })
  t.equal(badAccept.status, 401, 'bad password, unsupported Accept: 401, not 406')
  const badTable = await raw(url, '/api/now/table/no_such_table', { authorization: wrong })
  t.equal(badTable.status, 401, 'bad password, unknown table: 401, not 400')
  const badBody = await raw(
    url,
    '/api/now/table/incident',
    { authorization: wrong, 'content-type': 'text/plain' },
    'POST',
    'not json',
  )
  t.equal(badBody.status, 401, 'bad password, unsupported body: 401, not 415')
})

test('a sys_id in a POST body becomes the record sys_id; a taken one is refused', async (t) => {
  const { url, instance } = await emulator(t)
  const id = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5'
  const created = await call(url, 'POST', '/api/now/table/incident', {
    body: { sys_id: id, short_description: 'known id', sys_created_by: 'mallory' },
  })
  t.equal(created.status, 201)
  t.equal(created.json.result.sys_id, id)
  t.equal(created.json.result.sys_created_by, 'admin', 'other sys_* fields stay the system')
  t.equal(created.headers.get('location'), `${url}/api/now/table/incident/${id}`)
  t.ok(instance.data.get('incident', id))
  const again = await call(url, 'POST', '/api/now/table/incident', { body: { sys_id: id } })
  t.equal(again.status, 403)
  t.equal(again.json.error.message, 'Operation Failed')
  t.equal(instance.data.count('incident'), 1, 'nothing was overwritten')
})

test('a POST with no body inserts a record with defaults', async (t) => {
  const { url } = await emulator(t)
  const bare = await raw(url, '/api/now/table/incident', { authorization: ADMIN }, 'POST')
  t.equal(bare.status, 201)
  const rec = JSON.parse(bare.text).result
  t.match(rec.number, /^INC\d{7}$/)
  t.equal(rec.active, 'true')
  const emptyJson = await raw(
    url,
    '/api/now/table/incident',
    { authorization: ADMIN, 'content-type': 'application/json' },
    'POST',
    '',
  )
  t.equal(emptyJson.status, 201, 'an empty JSON body too')
})

test('an over-long table name is an invalid table; an over-long URL or header gets the front end HTML page', async (t) => {
  const { url } = await emulator(t)
  const name = 'a'.repeat(5000)
  const longTable = await raw(url, `/api/now/table/${name}`, { authorization: ADMIN })
  t.equal(longTable.status, 400)
  t.same(JSON.parse(longTable.text), { error: { message: `Invalid table ${name}`, detail: null }, status: 'failure' })

  const hugeName = 'A'.repeat(23_000)
  const longUrl = await raw(url, `/api/now/table/${hugeName}/doesntmatter`, { authorization: ADMIN })
  t.equal(longUrl.status, 400)
  t.match(longUrl.text, /^<.*html>/s, 'PySNC test_nonjson_error: the body is an HTML page')
  t.match(longUrl.type, /^text\/html/)

  const longHeader = await raw(url, '/api/now/table/sys_user', { authorization: ADMIN, 'x-filler': 'x'.repeat(40_000) })
  t.equal(longHeader.status, 400)
  t.match(longHeader.text, /Request Header Or Cookie Too Large/)
  const beyondParser = await raw(url, '/api/now/table/sys_user', {
    authorization: ADMIN,
    'x-filler': 'x'.repeat(300_000),
  })
  t.equal(beyondParser.status, 400, 'past the HTTP parser limit: the same page, not 431')
  t.match(beyondParser.text, /<html>/)
})
