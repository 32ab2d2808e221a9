// The OpenAPI documents as a generated client meets them (issue 12): every operation named,
// summarised, tagged and answered (errors included, in the shape the routes really send);
// defaulted parameters optional; a token asked for only where one is needed; the
// IdentityNow-compatible API in a document of its own, served and reachable from /docs. Read
// from the running hub, so routes added later are held to the same rules.
import { test } from 'tap'
import type { OpenAPIV3_1 } from 'openapi-types'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'

type Document = OpenAPIV3_1.Document
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const

function operations(document: Document) {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item?.[method]
      return operation ? [{ name: `${method.toUpperCase()} ${path}`, path, method, operation }] : []
    }),
  )
}

async function served(hub: TestApp, url: string): Promise<Document> {
  const res = await hub.inject({ url }, null)
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
  return res.json() as Document
}

test('every operation of both documents is named, summarised, tagged and fully answered', async (t) => {
  const hub = await buildTestApp(t)
  const documents = {
    admin: await served(hub, '/docs/json'),
    identitynow: await served(hub, '/docs/identitynow/json'),
  }
  for (const [which, document] of Object.entries(documents)) {
    t.ok(document.servers?.length, `${which}: servers are listed`)
    const defined = new Set((document.tags ?? []).map((tag) => tag.name))
    const seen = new Set<string>()
    const all = operations(document)
    t.ok(all.length > 10, `${which}: ${all.length} operations`)
    for (const { name, operation } of all) {
      const id = operation.operationId
      t.ok(id, `${which} ${name}: operationId`)
      t.notOk(seen.has(id as string), `${which} ${name}: operationId ${id} is unique`)
      seen.add(id as string)
      t.ok(operation.summary, `${which} ${name}: summary`)
      t.ok(operation.tags?.length && operation.tags.every((tag) => defined.has(tag)), `${which} ${name}: tags defined`)
      const statuses = Object.keys(operation.responses ?? {})
      t.ok(
        statuses.some((s) => /^2/.test(s)),
        `${which} ${name}: a success answer`,
      )
      t.ok(
        statuses.some((s) => /^4/.test(s)),
        `${which} ${name}: its 4xx answers`,
      )
      for (const status of statuses) {
        const answer = operation.responses?.[status] as OpenAPIV3_1.ResponseObject
        t.not(answer.description, 'Default Response', `${which} ${name} ${status}: described`)
        if (status === '204' || !answer.content) {
          t.ok(status === '204' || /Deleted/.test(answer.description), `${which} ${name} ${status}: typed`)
          continue
        }
        t.ok(
          Object.values(answer.content).every((media) => media.schema),
          `${which} ${name} ${status}: typed`,
        )
      }
    }
  }

  // the admin API's errors are its documented error shape
  const admin = documents.admin
  const listConnections = admin.paths?.['/api/v1/connections']?.get
  for (const status of ['400', '401', '403', '429', '500']) {
    const answer = listConnections?.responses?.[status] as OpenAPIV3_1.ResponseObject
    t.match(JSON.stringify(answer?.content), /#\/components\/schemas\/ErrorResponse/, `listConnections ${status}`)
  }
  // and the IdentityNow-compatible API's are SailPoint's
  const getIntegration = documents.identitynow.paths?.['/v3/service-desk-integrations/{id}']?.get
  t.equal(getIntegration?.operationId, 'getServiceDeskIntegrationV3', "SailPoint's operation id, with its family")
  t.match(JSON.stringify(getIntegration?.responses?.['404']), /detailCode/)
  t.match(JSON.stringify(getIntegration?.responses?.['401']), /"error"/)
  t.notOk(admin.paths?.['/v3/service-desk-integrations'], 'the compatible API is not in the admin document')
  t.notOk(documents.identitynow.paths?.['/api/v1/connections'], 'nor the admin API in its document')
  t.ok(documents.identitynow.paths?.['/oauth/token']?.post, 'its token endpoint is')
})

test('parameters with a default are optional; a token is asked for only where one is needed', async (t) => {
  const hub = await buildTestApp(t, { config: { rateLimit: { max: 100_000 } } })
  const admin = await served(hub, '/docs/json')
  const list = admin.paths?.['/api/v1/connections']?.get
  const parameters = (list?.parameters ?? []) as OpenAPIV3_1.ParameterObject[]
  for (const name of ['limit', 'offset']) {
    const parameter = parameters.find((p) => p.name === name)
    t.ok(parameter, `${name} is a parameter`)
    t.notOk(parameter?.required, `${name} has a default, so the caller may leave it out`)
  }
  for (const { name, operation } of operations(admin)) {
    if (operation.parameters?.some((p) => (p as OpenAPIV3_1.ParameterObject).required)) {
      for (const p of operation.parameters as OpenAPIV3_1.ParameterObject[]) {
        if (p.in === 'query' && p.required)
          t.equal((p.schema as { default?: unknown })?.default, undefined, `${name} ${p.name}`)
      }
    }
  }

  // the document says what the hub does: no token needed exactly where none is asked for
  const identityNow = await served(hub, '/docs/identitynow/json')
  for (const document of [admin, identityNow]) {
    t.same(document.security, [{ bearerAuth: [] }])
    for (const { name, path, method, operation } of operations(document)) {
      const anonymous = await hub.inject(
        { method: method.toUpperCase() as 'GET', url: path.replace(/\{[^}]+\}/g, 'x') },
        null,
      )
      const refused = anonymous.statusCode === 401
      t.equal(Array.isArray(operation.security) && operation.security.length === 0, !refused, `${name}: security`)
    }
  }
})

test('the IdentityNow-compatible API document is reachable from /docs', async (t) => {
  const hub = await buildTestApp(t)
  const initializer = await hub.inject({ url: '/docs/static/swagger-initializer.js' }, null)
  t.equal(initializer.statusCode, 200)
  t.match(initializer.body, '/docs/identitynow/json', "Swagger UI's picker lists it")
  t.match(initializer.body, '/docs/json')
  const document = await served(hub, '/docs/identitynow/json')
  t.equal(document.info.title, 'Crosswalk IdentityNow-compatible API')
  t.same(document, hub.app.identityNowSwagger(), 'the same document the hub generates (and openapi:check compares)')
  // the description renders as text: no bare <token> for Swagger UI to take as HTML
  const admin = await served(hub, '/docs/json')
  t.notMatch(admin.info.description ?? '', /<[a-z]+>/i)
})
