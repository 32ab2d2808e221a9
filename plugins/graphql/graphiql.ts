// GraphiQL at /graphiql, served entirely by the hub: its page, and the browser bundle that
// `npm run build:graphiql` makes from graphiql-web/ (npm ci runs it), served under
// /graphiql/assets/. Nothing is fetched from a CDN, so it works on a network without internet.
// /graphql needs a token: the headers editor starts with an Authorization header to fill in.
//
// Without the bundle (an install that skipped scripts), /graphiql says how to build it; the hub
// starts anyway, and serves the bundle once built, without a restart.
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { RequestErrors } from '../../core/answer/errors.ts'
import { withPageHeaders } from '../pages/page-headers.ts'
import { contentTypeOf, fileIn } from '../pages/served-file.ts'

/** Where vite writes the bundle (graphiql-web/vite.config.ts): its manifest, and assets/. */
export const GRAPHIQL_BUILD_DIR = join(dirname(fileURLToPath(import.meta.url)), 'graphiql-web', 'dist')
export const GRAPHIQL_BUILD_COMMAND = 'npm run build:graphiql'

/** what GraphiQL's build holds: scripts, workers, styles and the fonts they name */
const SERVED = ['.js', '.css', '.ttf']

/**
 * What GraphiQL needs and no more: scripts, workers, styles and fonts from the hub (the style
 * sheets carry fonts as data: URLs; Monaco and GraphiQL add <style> elements and style
 * attributes as they lay the editors out), requests to the hub (its /graphql, over HTTP and
 * WebSocket), no frames.
 */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const secured = (reply: FastifyReply) => withPageHeaders(reply, GRAPHIQL_CONTENT_SECURITY_POLICY)

/** The entry of vite's manifest: the page's script and its style sheets, under assets/. */
interface Entry {
  file: string
  css?: string[]
}

/** The bundle's entry, or undefined when it is not built. */
async function builtEntry(buildDir: string): Promise<Entry | undefined> {
  let text: string
  try {
    text = await readFile(join(buildDir, '.vite', 'manifest.json'), 'utf8')
  } catch {
    return undefined
  }
  const manifest = JSON.parse(text) as Record<string, Entry & { isEntry?: boolean }>
  return Object.values(manifest).find((chunk) => chunk.isEntry)
}

// relative URLs (the page is /graphiql), so that a reverse proxy's path prefix is kept
const asset = (file: string) => `./graphiql/${file}`

function page(entry: Entry): string {
  const styles = (entry.css ?? []).map((file) => `  <link rel="stylesheet" href="${asset(file)}">\n`).join('')
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Crosswalk GraphiQL</title>
  <meta name="robots" content="noindex">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
${styles}  <script type="module" src="${asset(entry.file)}"></script>
</head>
<body style="margin: 0">
  <div id="graphiql" style="height: 100vh"><noscript>GraphiQL needs JavaScript.</noscript></div>
</body>
</html>
`
}

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Crosswalk GraphiQL: not built</title><link rel="icon" href="data:,"></head>
<body>
  <h1>GraphiQL is not built</h1>
  <p>Its browser bundle is missing from <code>plugins/graphql/graphiql-web/dist</code>. Build it
  with <code>${GRAPHIQL_BUILD_COMMAND}</code> (<code>npm ci</code> and <code>npm install</code> run
  it, unless scripts are turned off), then reload this page.</p>
</body>
</html>
`

/** The page and its assets; `buildDir` is another build than the installed one (tests). */
export function graphiqlRoutes(app: FastifyInstance, buildDir = GRAPHIQL_BUILD_DIR): void {
  const assetsDir = join(buildDir, 'assets')
  app.get('/graphiql', async (_request, reply) => {
    const entry = await builtEntry(buildDir)
    secured(reply).type('text/html; charset=utf-8').header('cache-control', 'no-cache')
    if (!entry) {
      app.log.warn(`GraphiQL is not built: ${GRAPHIQL_BUILD_COMMAND}`)
      return reply.code(503).send(NOT_BUILT)
    }
    return reply.send(page(entry))
  })
  app.get<{ Params: { '*': string } }>('/graphiql/assets/*', async (request, reply) => {
    const file = await fileIn(assetsDir, request.params['*'], SERVED)
    if (!file) throw new RequestErrors.ROUTE_NOT_FOUND(request.method, request.url.split('?')[0] ?? '')
    // every name carries a hash of its content (vite): a new build makes new names
    return secured(reply)
      .type(contentTypeOf(file))
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(createReadStream(file))
  })
}
