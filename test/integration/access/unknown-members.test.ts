// A body member the schema does not declare is refused on the admin API with a message naming it
// (it used to be dropped in silence, so a misspelt setting was quietly not applied), on every
// route whose body is a closed object, routes added later included (collected with onRoute). The
// SailPoint-compatible API keeps SailPoint's rule: such members are accepted and not kept.
import t from 'tap'
import type { RouteOptions } from 'fastify'
import { buildTestApp } from '../../helpers/app.ts'

t.setTimeout(300_000)

interface JsonObjectSchema {
  type?: string
  required?: string[]
  properties?: Record<string, { type?: string; format?: string }>
  additionalProperties?: unknown
}

const UNKNOWN = 'zzUnknownMember'
const UUID = '00000000-0000-4000-8000-000000000000'

function paramsOf(url: string, schema: JsonObjectSchema | undefined): string {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const declared = schema?.properties?.[name]
    if (declared?.format === 'uuid') return UUID
    if (declared?.type === 'integer' || declared?.type === 'number') return '1'
    return 'x'
  })
}

t.test('every admin route with a closed body refuses an unknown member and names it', async (t) => {
  const routes: RouteOptions[] = []
  // routes that leave the body to a kernel (mapping definitions, bodyCheckedByKernel): it names
  // unknown members too, after finding the resource (an absent one is a 404 first)
  const kernelChecked = new Set<RouteOptions>()
  const hub = await buildTestApp(t, {
    setup: (app) => {
      app.addHook('onRoute', (route) => {
        routes.push(route)
        if (route.config?.bodyCheckedByKernel === true) kernelChecked.add(route)
      })
    },
  })
  const closed = routes.filter((route) => {
    const body = route.schema?.body as JsonObjectSchema | undefined
    return body?.type === 'object' && body.additionalProperties === false && route.config?.ignoreUnknownMembers !== true
  })
  t.ok(closed.length >= 10, `${closed.length} routes take a closed body`)
  for (const route of closed) {
    const body = route.schema!.body as JsonObjectSchema
    const method = ([] as string[]).concat(route.method)[0]!
    const url = paramsOf(route.url, route.schema?.params as JsonObjectSchema | undefined)
    // required members only need to be present for the unknown one to be the first problem
    const payload = { ...Object.fromEntries((body.required ?? []).map((name) => [name, null])), [UNKNOWN]: 1 }
    const res = await hub.inject({ method: method as 'POST', url, payload })
    const answer = res.json<{ code?: string; message?: string }>()
    if (kernelChecked.has(route) && res.statusCode === 404) continue
    t.equal(res.statusCode, 400, `${method} ${route.url}: 400`)
    t.match(answer.message, new RegExp(`"(?:[\\w.]+\\.)?${UNKNOWN}"`), `${method} ${route.url}: names the member`)
  }
})

t.test('a token request with a misspelt member is refused, not created without it', async (t) => {
  const hub = await buildTestApp(t)
  const res = await hub.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { name: 'ci', role: 'viewer', rol: 'x' },
  })
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    statusCode: 400,
    error: 'Bad Request',
    code: 'CW_VALIDATION',
    message: 'body field "rol" is not a known field: remove it or check its spelling',
    requestId: res.json<{ requestId: string }>().requestId,
  })
  const list = await hub.inject({ method: 'GET', url: '/api/v1/tokens' })
  t.notOk(JSON.stringify(list.json()).includes('"ci"'), 'nothing was created')
})

t.test('the SailPoint-compatible API accepts unknown members and keeps none of them', async (t) => {
  const hub = await buildTestApp(t)
  const created = await hub.inject({
    method: 'POST',
    url: '/v3/service-desk-integrations',
    payload: {
      name: 'Desk',
      description: 'd',
      type: 'ServiceNowSDIM',
      attributes: { url: 'https://example.service-now.com', custom: 'kept: attributes are free-form' },
      ownerRef: { type: 'IDENTITY', id: 'owner-1', [UNKNOWN]: 'in a reference' },
      [UNKNOWN]: 'top level',
    },
  })
  t.equal(created.statusCode, 200, created.body)
  const id = created.json<{ id: string }>().id
  const patched = await hub.inject({
    method: 'PATCH',
    url: `/v3/service-desk-integrations/${id}`,
    headers: { 'content-type': 'application/json-patch+json' },
    payload: JSON.stringify([{ op: 'replace', path: `/${UNKNOWN}2`, value: 'added by a patch' }]),
  })
  t.equal(patched.statusCode, 200, patched.body)
  const read = await hub.inject({ method: 'GET', url: `/v3/service-desk-integrations/${id}` })
  t.notOk(read.body.includes(UNKNOWN), 'neither answered nor kept')
  t.equal(read.json<{ attributes: Record<string, unknown> }>().attributes.custom, 'kept: attributes are free-form')
  const rows = await hub.db.query<{ dto: unknown }>('select dto from idn_integrations where id = $1', [id])
  t.notOk(JSON.stringify(rows.rows[0]?.dto).includes(UNKNOWN), 'not in the store')
})
