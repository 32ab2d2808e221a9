// The operator console at /console, served by the hub itself with no build step: one HTML page,
// the console's own ES modules (plugins/console/web, plain JavaScript type-checked by tsc through
// JSDoc: `npm run typecheck`), and the browser builds of the few libraries it uses (Preact, htm,
// graphql-ws, openapi-fetch, @tanstack/table-core and its @tanstack/store), read from node_modules.
// Nothing is fetched from elsewhere, so it works offline.
//
// The page and its files are public: they hold no data. Everything the console shows comes from
// the admin API with the bearer token the operator signs in with, sent as Authorization.
//
// Every answer carries a Content-Security-Policy that allows no inline script: the one inline
// element, the import map that names the libraries, is allowed by its SHA-256 hash.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { RequestErrors } from '../../core/answer/errors.ts'
import { withPageHeaders } from '../pages/page-headers.ts'
import { contentTypeOf, fileIn } from '../pages/served-file.ts'

const require = createRequire(import.meta.url)

/**
 * The folder of an installed package (not every package exports its package.json), as the hub
 * resolves it or, given `from`, as the package in that folder does (a library's own dependency).
 */
function packageDir(name: string, from?: string): string {
  const suffix = `${sep}node_modules${sep}${name.split('/').join(sep)}`
  const resolve = from ? createRequire(join(from, 'package.json')).resolve : require.resolve
  for (let dir = dirname(resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    if (dir.endsWith(suffix)) return dir
  }
  throw new Error(`cannot find the folder of the package ${name}`)
}

const TABLE_CORE = packageDir('@tanstack/table-core')

/** The console's own files: JavaScript modules, the style sheet and the icon. */
export const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), 'web')

/**
 * The libraries the browser loads, each served from its package folder under
 * /console/vendor/NAME/, and the module each bare specifier of the import map stands for.
 * Only .js and .mjs files of these packages are served (their relative imports, such as
 * graphql-ws' shared chunk, included). `define` is what a bundler would replace in a library's
 * modules before a browser sees them: each expression by its value, as written.
 */
export const VENDOR: Record<
  string,
  { dir: string; specifiers: Record<string, string>; define?: Record<string, string> }
> = {
  preact: {
    dir: packageDir('preact'),
    specifiers: { preact: 'dist/preact.mjs', 'preact/hooks': 'hooks/dist/hooks.mjs' },
  },
  htm: { dir: packageDir('htm'), specifiers: { htm: 'dist/htm.module.js', 'htm/preact': 'preact/index.module.js' } },
  'graphql-ws': { dir: packageDir('graphql-ws'), specifiers: { 'graphql-ws': 'dist/client.js' } },
  'openapi-fetch': { dir: packageDir('openapi-fetch'), specifiers: { 'openapi-fetch': 'dist/index.mjs' } },
  // the headless table (sorting, searching) under the console's DataTable: ES modules (one a
  // file, reached by their relative imports) whose development checks read Node's process.env (a
  // browser has no `process`: a module would throw on first use), and which import
  // @tanstack/store (below); the URL segment has no slash, as /vendor/:name/ needs
  'table-core': {
    dir: TABLE_CORE,
    specifiers: {
      '@tanstack/table-core': 'dist/index.js',
      '@tanstack/table-core/store-reactivity-bindings': 'dist/store-reactivity-bindings.js',
    },
    define: { 'process.env.NODE_ENV': '"production"' },
  },
  // table-core's state (atoms), its one dependency
  'tanstack-store': {
    dir: packageDir('@tanstack/store', TABLE_CORE),
    specifiers: { '@tanstack/store': 'dist/index.js' },
  },
}

/** A library module's text as it is served: what its `define` names replaced. */
export function asServed(text: string, define: Record<string, string> = {}): string {
  return Object.entries(define).reduce((served, [expression, value]) => served.split(expression).join(value), text)
}

const importMap = JSON.stringify({
  imports: Object.fromEntries(
    Object.entries(VENDOR).flatMap(([name, { specifiers }]) =>
      Object.entries(specifiers).map(([specifier, file]) => [specifier, `./console/vendor/${name}/${file}`]),
    ),
  ),
})

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

/** Scripts from the hub only (plus the import map, by hash); styles from the hub only; no frames. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src 'self' ${hash(importMap)}`,
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  // the admin API and the GraphQL WebSocket, same origin
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

// The page is at /console, so that its relative URLs (./console/..., ./api/v1/...) name the hub's
// paths whatever prefix a reverse proxy puts before them.
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Crosswalk console</title>
  <meta name="robots" content="noindex">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="./console/app/icon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="./console/app/console.css">
  <script type="importmap">${importMap}</script>
  <script type="module" src="./console/app/main.js"></script>
</head>
<body>
  <div id="console"><noscript>The Crosswalk console needs JavaScript.</noscript></div>
</body>
</html>
`

const secured = (reply: FastifyReply) => withPageHeaders(reply, CONTENT_SECURITY_POLICY)

export default fp(
  async function operatorConsole(app: FastifyInstance) {
    // files do not change while the hub runs: each is read once
    const cache = new Map<string, Promise<Buffer>>()
    const read = (file: string, define?: Record<string, string>) => {
      let pending = cache.get(file)
      if (!pending) {
        pending = define
          ? readFile(file, 'utf8').then((text) => Buffer.from(asServed(text, define), 'utf8'))
          : readFile(file)
        cache.set(file, pending)
      }
      return pending
    }
    const options = { config: { public: true }, schema: { hide: true } }

    app.get('/console', options, async (_request, reply) =>
      secured(reply).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(PAGE),
    )

    app.get<{ Params: { '*': string } }>('/console/app/*', options, async (request, reply) => {
      const file = await fileIn(WEB_DIR, request.params['*'], ['.js', '.css', '.svg'])
      if (!file) throw new RequestErrors.ROUTE_NOT_FOUND(request.method, `/console/app/${request.params['*']}`)
      return secured(reply)
        .type(contentTypeOf(file))
        .header('cache-control', 'no-cache')
        .send(await read(file))
    })

    app.get<{ Params: { name: string; '*': string } }>('/console/vendor/:name/*', options, async (request, reply) => {
      const vendor = Object.hasOwn(VENDOR, request.params.name) ? VENDOR[request.params.name] : undefined
      const file = vendor ? await fileIn(vendor.dir, request.params['*'], ['.js', '.mjs']) : undefined
      if (!vendor || !file) throw new RequestErrors.ROUTE_NOT_FOUND(request.method, request.url.split('?')[0] ?? '')
      return secured(reply)
        .type(contentTypeOf(file))
        .header('cache-control', 'public, max-age=86400')
        .send(await read(file, vendor.define))
    })
  },
  { name: 'crosswalk-console', dependencies: ['crosswalk-error-handler'] },
)
