// Walks every route the hub registers (collected with onRoute, so routes added later by anyone
// are covered without touching this file): without a token each answers 401, with a role below
// the one it needs 403; the only public routes are the ones listed here, each for a reason.
import t, { type Test } from 'tap'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { HTTPMethods, RouteOptions } from 'fastify'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { ROLES, type Role } from '../../../core/auth/roles.ts'
import { GRAPHIQL_BUILD_DIR } from '../../../plugins/graphql/graphiql.ts'

// every test starts an embedded PostgreSQL (PGlite), slow on a busy machine
t.setTimeout(300_000)

interface Route {
  method: string
  url: string
  config: { public?: boolean; role?: Role }
}

function under(url: string, prefix: string): boolean {
  return url === prefix || url.startsWith(`${prefix}/`)
}

/** Routes allowed to be public, and when. Anything else public is a hole. */
function mayBePublic(url: string, flags: { health: boolean; docs: boolean; metrics: boolean }): boolean {
  if (under(url, '/health')) return flags.health // load balancer probes (publicHealth)
  if (under(url, '/docs') || under(url, '/graphiql')) return flags.docs // API docs and UI (publicDocs)
  if (under(url, '/metrics')) return flags.metrics // Prometheus scraping (publicMetrics)
  // OAuth client-credentials endpoint of the IdentityNow-compatible API: the client
  // authenticates with its id and secret in the body, as SailPoint's does
  if (url === '/oauth/token') return true
  // LeanIX PUSH webhook deliveries: authenticated by the connection's webhook secret, since
  // LeanIX cannot hold a hub bearer token (a wrong or missing secret is refused, tested there)
  if (url === '/webhooks/leanix/:connectionId') return true
  // the operator console's page and script files: they hold no data (everything it shows comes
  // from the API with the operator's token), and a browser cannot send a token to load a page
  if (under(url, '/console')) return true
  return false
}

/** The role a route must need: what it declares, admin when it declares nothing. */
function expectedRole(route: Route): Role {
  if (route.config.role) return route.config.role
  const viewerPaths = ['/docs', '/graphiql', '/metrics']
  if (route.url === '/graphql' || viewerPaths.some((p) => under(route.url, p))) return 'viewer'
  return 'admin'
}

function collect(into: Route[]) {
  return (app: TestApp['app']) => {
    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = ([] as HTTPMethods[]).concat(route.method)
      for (const method of methods) {
        into.push({ method, url: route.url, config: (route.config ?? {}) as Route['config'] })
      }
    })
  }
}

/**
 * The error code of an answer: our JSON error body, a GraphQL error (mercurius answers in the
 * GraphQL shape, code in extensions), or the x-crosswalk-error-code header (APIs that answer in
 * another product's error shape, like the IdentityNow-compatible one). HEAD answers have no body.
 */
function codeOf(res: { body: string; headers: Record<string, unknown> }): string | undefined {
  const header = res.headers['x-crosswalk-error-code']
  if (typeof header === 'string') return header
  try {
    const body = JSON.parse(res.body) as { code?: string; errors?: Array<{ extensions?: { code?: string } }> }
    return body.errors?.[0]?.extensions?.code ?? body.code
  } catch {
    return undefined
  }
}

/** A file of GraphiQL's bundle (npm run build:graphiql): its route serves only what the build made. */
const GRAPHIQL_ASSET = readdirSync(join(GRAPHIQL_BUILD_DIR, 'assets'))[0]

/** A concrete URL that the route matches. */
function concrete(url: string): string {
  if (url === '/graphiql/assets/*') return `/graphiql/assets/${GRAPHIQL_ASSET}`
  return url
    .replace(/:(\w+)\([^)]*\\d[^)]*\)/g, '1')
    .replace(/:(\w+)(\([^)]*\))?/g, '00000000-0000-4000-8000-000000000000')
    .replace(/\*/g, 'index.html')
}

async function walk(
  t: Test,
  hub: TestApp,
  routes: Route[],
  flags: { health: boolean; docs: boolean; metrics: boolean },
) {
  const tokens = { viewer: await hub.token('viewer'), operator: await hub.token('operator') } as Record<Role, string>
  t.ok(routes.length > 5, `${routes.length} routes collected`)
  const publicOnes: string[] = []
  for (const route of routes) {
    const name = `${route.method} ${route.url}`
    const url = concrete(route.url)
    const method = route.method as HTTPMethods
    const anonymous = await hub.inject({ method, url }, null)
    if (anonymous.statusCode !== 401) {
      publicOnes.push(name)
      t.ok(
        mayBePublic(route.url, flags),
        `${name} is served without a token (${anonymous.statusCode}); only listed routes may be`,
      )
      t.not(anonymous.statusCode, 403, `${name}: public routes do not ask for roles`)
      continue
    }
    const hasBody = method !== 'HEAD'
    if (hasBody) t.equal(codeOf(anonymous), 'CW_AUTH_REQUIRED', `${name}: 401 code`)
    t.match(anonymous.headers['www-authenticate'], /^Bearer realm="crosswalk"/, `${name}: WWW-Authenticate`)

    const required = expectedRole(route)
    for (const weaker of ROLES.slice(0, ROLES.indexOf(required))) {
      const res = await hub.inject({ method, url }, tokens[weaker])
      t.equal(res.statusCode, 403, `${name} with a ${weaker} token (needs ${required})`)
      if (!hasBody) continue
      t.equal(codeOf(res), 'CW_AUTH_FORBIDDEN', `${name}: 403 code`)
      t.ok(res.body.includes(`needs the ${required} role`), `${name}: names the role needed`)
    }
    // with the role it needs, the route is reached (whatever it then says about the request)
    const enough = required === 'admin' ? hub.adminToken : tokens[required]
    const reached = await hub.inject({ method, url }, enough)
    t.notOk(
      [401, 403].includes(reached.statusCode),
      `${name} with a ${required} token is let through (${reached.statusCode})`,
    )
    t.not(codeOf(reached), 'CW_ROUTE_NOT_FOUND', `${name}: the walked URL reaches the route`)
  }
  return publicOnes
}

t.test('default settings: health, docs and metrics public; everything else needs its role', async (t) => {
  const routes: Route[] = []
  const hub = await buildTestApp(t, { setup: collect(routes), config: { rateLimit: { max: 100_000 } } })
  t.ok(
    routes.some((r) => r.url === '/api/v1/tokens'),
    'the hub routes are collected',
  )
  const publicOnes = await walk(t, hub, routes, { health: true, docs: true, metrics: true })
  t.ok(publicOnes.includes('GET /health/live'), 'health is public by default')
  t.ok(
    publicOnes.some((p) => p.startsWith('GET /docs')),
    'docs are public by default',
  )
})

t.test('with publicHealth, publicDocs and publicMetrics off, nothing is served without a token', async (t) => {
  const routes: Route[] = []
  const hub = await buildTestApp(t, {
    setup: collect(routes),
    config: { publicHealth: false, publicDocs: false, publicMetrics: false, rateLimit: { max: 100_000 } },
  })
  const publicOnes = await walk(t, hub, routes, { health: false, docs: false, metrics: false })
  t.same(
    publicOnes.filter(
      (p) =>
        !p.endsWith(' /oauth/token') && !p.endsWith(' /webhooks/leanix/:connectionId') && !/ \/console(\/|$)/.test(p),
    ),
    [],
    'no public route besides the OAuth token endpoint, the webhook receiver and the console files',
  )
})
