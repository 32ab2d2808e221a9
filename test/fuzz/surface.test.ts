// The fuzz suite of issue 11: fast-check over every route the hub registers (collected with
// onRoute, so routes added later are fuzzed without touching this file) and over the GraphQL
// schema (read at run time, so are types added later). Whatever arrives: no 5xx, every error in
// the documented shape with a CW_ code, no variable value repeated in a GraphQL error, and the
// process alive with /health/live answering over a real socket while it runs.
//
// Bounded in count and time (FUZZ_RUNS, FUZZ_SECONDS), from a fixed seed so that CI is
// repeatable (FUZZ_SEED=random, or a number, to explore further by hand).
import t from 'tap'
import fc from 'fast-check'
import net from 'node:net'
import type { HTTPMethods, RouteOptions } from 'fastify'
import { buildTestApp, type TestApp } from '../helpers/app.ts'
import { memoConnector } from '../helpers/memo-connector.ts'
import { arbitraryFor, hostileText, type JsonSchema } from './schema-arbitrary.ts'
import { graphqlRequest } from './graphql-arbitrary.ts'

t.setTimeout(300_000)

const RUNS = Number(process.env.FUZZ_RUNS ?? 300)
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 15)
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED ?? 20261111)

// Nothing leaves this machine: a handler that reaches out (a connection check, a ticket) may only
// reach a loopback address; anything else is refused as if the network were down.
const originalConnect = net.Socket.prototype.connect
function loopbackOnly(this: net.Socket, ...args: unknown[]) {
  const options = (typeof args[0] === 'object' && args[0] !== null ? args[0] : { host: args[1] }) as {
    host?: string
    path?: string
  }
  const host = options.host ?? 'localhost'
  if (options.path || /^(127\.|::1$|localhost$)/.test(host)) {
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args)
  }
  process.nextTick(() =>
    this.destroy(Object.assign(new Error(`fuzz: no traffic to ${host}`), { code: 'ECONNREFUSED' })),
  )
  return this
}
net.Socket.prototype.connect = loopbackOnly as typeof net.Socket.prototype.connect
t.teardown(() => {
  net.Socket.prototype.connect = originalConnect
})

interface Route {
  method: HTTPMethods
  url: string
  schema: { params?: JsonSchema; querystring?: JsonSchema; body?: JsonSchema }
}

/** The error code of an error answer, in whichever documented shape it came. */
function errorCode(res: { body: string; headers: Record<string, unknown> }): string | undefined {
  const header = res.headers['x-crosswalk-error-code']
  if (typeof header === 'string') return header
  try {
    const body = JSON.parse(res.body) as {
      code?: unknown
      statusCode?: unknown
      message?: unknown
      requestId?: unknown
      errors?: Array<{ extensions?: { code?: string } }>
    }
    if (body.errors) return body.errors[0]?.extensions?.code
    // ours: { statusCode, code, error, message, requestId }
    if (typeof body.statusCode === 'number' && typeof body.message === 'string' && typeof body.requestId === 'string') {
      return typeof body.code === 'string' ? body.code : undefined
    }
  } catch {
    return undefined
  }
  return undefined
}

/** /health/live over a real socket, every `everyMs` while the fuzz runs. */
function probeLiveness(port: number, everyMs = 250) {
  const outcomes: Array<{ ok: boolean; detail: string }> = []
  let running = true
  const loop = (async () => {
    while (running) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(15_000) })
        outcomes.push({ ok: res.status === 200, detail: String(res.status) })
      } catch (error) {
        outcomes.push({ ok: false, detail: (error as Error).message })
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs))
    }
  })()
  return {
    outcomes,
    async stop() {
      running = false
      await loop
    },
  }
}

/** A path segment as a client would send it; a lone surrogate as the (invalid) bytes it would become. */
function segment(value: unknown): string {
  const text = textOf(value ?? '00000000-0000-4000-8000-000000000000')
  try {
    return encodeURIComponent(text)
  } catch {
    return `${encodeURIComponent(text.toWellFormed())}%ED%A0%80`
  }
}

function concrete(url: string, params: Record<string, unknown>): string {
  return url.replace(/:(\w+)(\([^)]*\))?/g, (_m, name: string) => segment(params[name])).replace(/\*/g, 'index.html')
}

/** A value as form or query-string text (objects as JSON, whatever their prototype). */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '')
}

function queryString(query: unknown): string {
  if (!query || typeof query !== 'object' || Array.isArray(query)) return ''
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    search.append(key, typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}

t.test('fuzz: every route and the GraphQL schema', async (t) => {
  const routes: Route[] = []
  const hub: TestApp = await buildTestApp(t, {
    connectors: [memoConnector()],
    // the fuzz sends hundreds of requests from one address with one token
    config: { rateLimit: { max: 1_000_000, probesMax: 1_000_000, credentialsMax: 1_000_000, webhooksMax: 1_000_000 } },
    setup: (app) => {
      app.addHook('onRoute', (route: RouteOptions) => {
        for (const method of ([] as HTTPMethods[]).concat(route.method)) {
          if (method === 'HEAD' || method === 'OPTIONS') continue
          routes.push({ method, url: route.url, schema: (route.schema ?? {}) as Route['schema'] })
        }
      })
    },
  })
  t.ok(routes.length > 50, `${routes.length} routes to fuzz`)
  const shared = new Map<string, JsonSchema>()
  for (const [id, schema] of Object.entries(hub.hub.getSchemas() as Record<string, JsonSchema>)) shared.set(id, schema)
  const lookup = (ref: string) => shared.get(ref.replace(/#.*$/, ''))

  await hub.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = hub.app.server.address() as net.AddressInfo
  const liveness = probeLiveness(port)
  const viewer = await hub.token('viewer')
  const failures: string[] = []

  const restRequest = fc.constantFrom(...routes).chain((route) =>
    fc.record({
      route: fc.constant(route),
      params: arbitraryFor(route.schema.params, lookup),
      query: arbitraryFor(route.schema.querystring, lookup),
      body: arbitraryFor(route.schema.body, lookup),
      encoding: fc.constantFrom('json', 'json', 'json', 'form', 'garbage'),
      caller: fc.constantFrom('admin', 'admin', 'viewer', 'anonymous'),
    }),
  )

  const restStarted = Date.now()
  const rest = await fc.check(
    fc.asyncProperty(restRequest, async ({ route, params, query, body, encoding, caller }) => {
      const url = concrete(route.url, (params ?? {}) as Record<string, unknown>) + queryString(query)
      const hasBody = !['GET', 'DELETE'].includes(route.method)
      const payload =
        encoding === 'garbage'
          ? '{"unterminated": '
          : encoding === 'form'
            ? new URLSearchParams(
                Object.entries((body ?? {}) as object).map(([k, v]): [string, string] => [k, textOf(v)]),
              ).toString()
            : JSON.stringify(body ?? {})
      const res = await hub.inject(
        {
          method: route.method,
          url,
          ...(hasBody
            ? {
                payload,
                headers: {
                  'content-type': encoding === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
                },
              }
            : {}),
        },
        caller === 'admin' ? hub.adminToken : caller === 'viewer' ? viewer : null,
      )
      const where = `${route.method} ${route.url} -> ${res.statusCode}`
      if (res.statusCode >= 500) failures.push(`${where}: ${res.body.slice(0, 300)} (sent ${url})`)
      if (res.statusCode >= 400 && !errorCode(res)?.startsWith('CW_')) {
        failures.push(`${where} without a CW code: ${res.body.slice(0, 300)}`)
      }
      return res.statusCode < 500
    }),
    { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
  )
  t.comment(`REST: ${rest.numRuns} requests in ${Date.now() - restStarted} ms (seed ${SEED})`)

  const gqlStarted = Date.now()
  const gql = await fc.check(
    fc.asyncProperty(graphqlRequest(hub.hub.graphql.schema, { mutations: true }), async ({ query, variables }) => {
      const res = await hub.inject({ method: 'POST', url: '/graphql', payload: { query, variables } })
      const where = `graphql ${query.slice(0, 200)} -> ${res.statusCode}`
      if (res.statusCode >= 500) failures.push(`${where}: ${res.body.slice(0, 300)}`)
      const answer = JSON.parse(res.body) as { errors?: Array<{ message: string; extensions?: { code?: string } }> }
      for (const error of answer.errors ?? []) {
        const code = error.extensions?.code
        if (!code?.startsWith('CW_')) failures.push(`${where}: error without a CW code: ${error.message}`)
        if (code === 'CW_INTERNAL') failures.push(`${where}: internal error (see the log)`)
        for (const value of Object.values(variables)) {
          if (typeof value === 'string' && value.length >= 8 && error.message.includes(value)) {
            failures.push(`${where}: a variable's value is repeated in "${error.message}"`)
          }
        }
      }
      return res.statusCode < 500
    }),
    { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
  )
  t.comment(`GraphQL: ${gql.numRuns} requests in ${Date.now() - gqlStarted} ms (seed ${SEED})`)

  // hostile text straight into every path parameter and query string, beyond what schemas allow
  for (const route of routes) {
    const [sample] = fc.sample(hostileText, { numRuns: 1, seed: SEED })
    const res = await hub.inject({ method: route.method, url: concrete(route.url, {}) + queryString({ q: sample }) })
    if (res.statusCode >= 500) failures.push(`${route.method} ${route.url} -> ${res.statusCode} with a hostile query`)
  }

  await liveness.stop()
  t.same([...new Set(failures)].slice(0, 30), [], 'no 5xx, and every error carries a CW code')
  for (const [name, outcome] of [
    ['REST', rest],
    ['GraphQL', gql],
  ] as const) {
    t.notOk(
      outcome.failed,
      `${name}: ${outcome.failed ? `failed on ${fc.stringify(outcome.counterexample).slice(0, 2000)}: ${String(outcome.errorInstance)}` : 'held'}`,
    )
    t.ok(outcome.numRuns > 0, `${name} ran`)
  }
  t.ok(liveness.outcomes.length > 0, `/health/live was probed ${liveness.outcomes.length} times during the run`)
  t.same(
    liveness.outcomes.filter((o) => !o.ok),
    [],
    '/health/live answered every probe while the fuzz ran',
  )
})
