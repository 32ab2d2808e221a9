// Attachment API contract (issue 16, emulator point 3), from the Attachment API reference
// (https://www.servicenow.com/docs/r/api-reference/rest-apis/c_AttachmentAPI.html): list with
// X-Total-Count, metadata, /file with the file's own type and X-Attachment-Metadata, POST /file
// 201 with Location, multipart POST /upload, DELETE 204, rows in sys_attachment.
import { test } from 'tap'
import { ADMIN, call, emulator, get } from './helpers.ts'

test('upload a binary file, read its metadata and bytes, list, delete', async (t) => {
  const { url, instance } = await emulator(t)
  const inc = instance.data.insert('incident', { short_description: 'has a screenshot' }).row[0] as string
  const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255])
  const up = await fetch(
    `${url}/api/now/attachment/file?table_name=incident&table_sys_id=${inc}&file_name=screen.png`,
    {
      method: 'POST',
      headers: { authorization: ADMIN, accept: 'application/json', 'content-type': 'image/png' },
      body: bytes,
    },
  )
  t.equal(up.status, 201)
  const meta = ((await up.json()) as { result: Record<string, string> }).result
  t.match(meta.sys_id, /^[0-9a-f]{32}$/)
  t.equal(up.headers.get('location'), `${url}/api/now/attachment/${meta.sys_id}/file`)
  t.match(meta, {
    file_name: 'screen.png',
    content_type: 'image/png',
    size_bytes: '9',
    table_name: 'incident',
    table_sys_id: inc,
    sys_created_by: 'admin',
    download_link: `${url}/api/now/attachment/${meta.sys_id}/file`,
  })

  const one = await get(url, `/api/now/attachment/${meta.sys_id}`)
  t.equal(one.json.result.file_name, 'screen.png')
  const file = await fetch(`${url}/api/now/attachment/${meta.sys_id}/file`, {
    headers: { authorization: ADMIN, accept: '*/*' },
  })
  t.equal(file.status, 200)
  t.equal(file.headers.get('content-type'), 'image/png')
  t.same(Buffer.from(await file.arrayBuffer()), bytes, 'the same bytes come back')
  t.equal(JSON.parse(file.headers.get('x-attachment-metadata') ?? '{}').file_name, 'screen.png')

  await fetch(`${url}/api/now/v1/attachment/file?table_name=incident&table_sys_id=${inc}&file_name=notes.txt`, {
    method: 'POST',
    headers: { authorization: ADMIN, 'content-type': 'text/plain' },
    body: 'hello',
  })
  const listed = await get(
    url,
    `/api/now/attachment?sysparm_query=table_sys_id=${inc}^ORDERBYfile_name&sysparm_limit=1`,
  )
  t.equal(listed.headers.get('x-total-count'), '2')
  t.same(
    listed.json.result.map((r: { file_name: string }) => r.file_name),
    ['notes.txt'],
    'ORDERBY and the limit apply',
  )
  const rows = await get(
    url,
    `/api/now/table/sys_attachment?sysparm_query=table_sys_id=${inc}&sysparm_fields=file_name`,
  )
  t.equal(rows.json.result.length, 2, 'sys_attachment rows are readable over the Table API')

  const del = await call(url, 'DELETE', `/api/now/attachment/${meta.sys_id}`)
  t.equal(del.status, 204)
  t.equal((await get(url, `/api/now/attachment/${meta.sys_id}`)).status, 404)
  t.equal((await get(url, `/api/now/attachment/${meta.sys_id}/file`)).status, 404)
})

test('multipart upload: fields first, the file last with its own type', async (t) => {
  const { url, instance } = await emulator(t)
  const inc = instance.data.insert('incident', { short_description: 'x' }).row[0] as string
  const form = new FormData()
  form.append('table_name', 'incident')
  form.append('table_sys_id', inc)
  form.append('uploadFile', new Blob(['a,b\n1,2\n'], { type: 'text/csv' }), 'data.csv')
  const up = await fetch(`${url}/api/now/attachment/upload`, {
    method: 'POST',
    headers: { authorization: ADMIN, accept: 'application/json' },
    body: form,
  })
  t.equal(up.status, 201)
  const meta = ((await up.json()) as { result: Record<string, string> }).result
  t.match(meta, { file_name: 'data.csv', content_type: 'text/csv', size_bytes: '8', table_sys_id: inc })
  t.equal(up.headers.get('location'), `${url}/api/now/attachment/${meta.sys_id}/file`)
  const text = await (
    await fetch(`${url}/api/now/attachment/${meta.sys_id}/file`, { headers: { authorization: ADMIN } })
  ).text()
  t.equal(text, 'a,b\n1,2\n')
})

test('refusals: missing parameters 400, unknown record 404, no credentials 401', async (t) => {
  const { url, instance } = await emulator(t)
  const inc = instance.data.insert('incident', {}).row[0] as string
  const post = (query: string, auth = ADMIN) =>
    fetch(`${url}/api/now/attachment/file?${query}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'text/plain' },
      body: 'x',
    })
  t.equal((await post(`table_name=incident&table_sys_id=${inc}`)).status, 400, 'no file_name')
  t.equal((await post(`table_name=incident&table_sys_id=${'0'.repeat(32)}&file_name=a`)).status, 404)
  t.equal((await post(`table_name=incident&table_sys_id=${inc}&file_name=a`, 'Basic eDp5')).status, 401)
  t.equal(instance.data.count('sys_attachment'), 0, 'nothing was stored')
})
