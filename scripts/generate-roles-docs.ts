// Writes the route roles table into README.md (between the route-roles markers), generated from
// what every route declares (`config.role`, `config.public`, `config.accepts`, read through the
// kernel's route policy: core/auth/route-policy.ts) in the hub as the default configuration
// builds it, routes of libraries included (their plugins stamp them). So the README cannot say a
// role opens a route that it does not. With --check it writes nothing and fails when the README
// is out of date.
import Fastify, { type RouteOptions } from 'fastify'
import crosswalk from '../app.ts'
import { offlineHubConfig } from './offline-hub.ts'
import { requiredAccess } from '../core/auth/route-policy.ts'
import { HUB_TOKEN } from '../core/auth/principal.ts'
import { ROLES, type Role } from '../core/auth/roles.ts'
import { API_CLIENT_PRINCIPAL } from '../connectors/identitynow/oauth/jwt.ts'
import { writeReadmeSection } from './readme-section.ts'

/** Path segments that name a version or the API, not a resource: /api/v1, /v3, /beta, .../v1. */
const VERSION = /^(api|v\d+|beta)$/
const PRINCIPALS: Record<string, string> = {
  [HUB_TOKEN]: 'hub tokens',
  [API_CLIENT_PRINCIPAL]: 'IdentityNow API clients',
}

type Column = 'public' | Role

interface Entry {
  method: string
  /** the path below the family's mount, `{param}` style: '' for the mount itself */
  rest: string
  column: Column
  /** public routes: the role they need when their setting makes them private */
  elseRole?: Role
  accepts: string
}

interface Family {
  name: string
  mounts: string[]
  entries: Entry[]
}

function split(url: string): { name: string; mount: string; rest: string } {
  const segments = url.split('/').filter(Boolean)
  let i = 0
  while (i < segments.length - 1 && VERSION.test(segments[i] as string)) i++
  let j = i + 1
  while (j < segments.length && VERSION.test(segments[j] as string)) j++
  const path = (parts: string[]) => parts.map((s) => s.replace(/^:(\w+)(\(.*\))?$/, '{$1}')).join('/')
  const rest = path(segments.slice(j))
  return { name: segments[i] ?? '', mount: `/${path(segments.slice(0, j))}`, rest: rest ? `/${rest}` : '' }
}

const routes: RouteOptions[] = []
const app = Fastify({ logger: false, pluginTimeout: 120_000 })
// the options objects themselves: plugins that mount libraries stamp their access on them in
// onRoute hooks that run after this one, so they are read once the hub is ready
app.addHook('onRoute', (route) => {
  routes.push(route)
})
await app.register(crosswalk, {
  config: offlineHubConfig(),
})
await app.ready()
await app.close()

// per mount, its entries (HEAD answers as GET does: left out)
const byMount = new Map<string, { name: string; entries: Entry[] }>()
for (const route of routes) {
  const config = route.config as { role?: Role; public?: boolean; accepts?: readonly string[] } | undefined
  const access = requiredAccess({ url: route.url, config })
  const { name, mount, rest } = split(route.url)
  for (const method of ([] as string[]).concat(route.method)) {
    if (method === 'HEAD') continue
    const mounted = byMount.get(mount) ?? { name, entries: [] }
    byMount.set(mount, mounted)
    mounted.entries.push(
      access.public
        ? { method, rest, column: 'public', ...(config?.role ? { elseRole: config.role } : {}), accepts: '' }
        : {
            method,
            rest,
            column: access.role,
            accepts: access.accepts.map((kind) => PRINCIPALS[kind] ?? kind).join(', '),
          },
    )
  }
}

// mounts of one resource that answer alike (the IdentityNow API's versions) share a row
const signature = (entries: Entry[]) =>
  JSON.stringify(entries.map((e) => [e.method, e.rest, e.column, e.elseRole, e.accepts]).sort())
const families = new Map<string, Family>()
for (const [mount, { name, entries }] of byMount) {
  const key = `${name} ${signature(entries)}`
  const family = families.get(key) ?? { name, mounts: [], entries }
  family.mounts.push(mount)
  families.set(key, family)
}

const admin = (f: Family) => f.mounts.every((m) => m.startsWith('/api/'))
const rows = [...families.values()].sort(
  (a, b) =>
    Number(admin(b)) - Number(admin(a)) || a.name.localeCompare(b.name) || a.mounts[0]!.localeCompare(b.mounts[0]!),
)

const order = (e: Entry) => `${e.rest} ${['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].indexOf(e.method)}`
function cell(family: Family, column: Column): string {
  const here = family.entries.filter((e) => e.column === column).sort((a, b) => order(a).localeCompare(order(b)))
  if (here.length === 0) return ''
  const elseRole = here[0]?.elseRole
  const unlessPrivate = column === 'public' && elseRole ? ` (else ${elseRole})` : ''
  if (here.length === family.entries.length) return `all${unlessPrivate}`
  return here.map((e) => `\`${e.method}${e.rest ? ` ${e.rest}` : ''}\``).join(', ') + unlessPrivate
}
const tokens = (family: Family) => [...new Set(family.entries.map((e) => e.accepts).filter(Boolean))].join('; ')

const columns: Column[] = ['public', ...ROLES]
const table = [
  `| routes | ${columns.join(' | ')} | tokens |`,
  `| --- | ${columns.map(() => '---').join(' | ')} | --- |`,
  ...rows.map(
    (f) =>
      `| ${f.mounts.map((m) => `\`${m}\``).join(', ')} | ${columns.map((c) => cell(f, c)).join(' | ')} | ${tokens(f)} |`,
  ),
].join('\n')

await writeReadmeSection({
  marker: 'route-roles',
  content: table,
  what: `route roles table (${rows.length} route families)`,
  script: 'docs:roles',
})
