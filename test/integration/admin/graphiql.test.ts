// GraphiQL is served by the hub itself (issue 12): its page loads nothing from another host, and
// every file of its bundle (npm run build:graphiql, which npm ci runs) is answered here, Monaco's
// workers included, so it works without internet. The browser side: graphiql-browser.test.ts.
import { test } from 'tap'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { buildTestApp } from '../../helpers/app.ts'
import {
  GRAPHIQL_BUILD_COMMAND,
  GRAPHIQL_BUILD_DIR,
  GRAPHIQL_CONTENT_SECURITY_POLICY,
  graphiqlRoutes,
} from '../../../plugins/graphql/graphiql.ts'

const CDN = /unpkg\.com|jsdelivr\.net|esm\.sh|cdnjs/

test('the GraphiQL page and everything it loads come from the hub', async (t) => {
  const hub = await buildTestApp(t)
  const page = await hub.inject({ url: '/graphiql' }, null)
  t.equal(page.statusCode, 200, `built (${GRAPHIQL_BUILD_COMMAND})`)
  t.match(page.headers['content-type'], /text\/html/)
  t.equal(page.headers['content-security-policy'], GRAPHIQL_CONTENT_SECURITY_POLICY, 'the page has its CSP')
  t.equal(page.headers['x-content-type-options'], 'nosniff')
  t.equal(page.headers['cache-control'], 'no-cache', 'the page names the current build')
  t.notMatch(page.body, /https?:\/\//, 'no absolute URL: nothing from a CDN')
  // (the page's icon is an empty data: URL, so that the browser asks for no /favicon.ico)
  const referenced = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)]
    .map((m) => m[1] as string)
    .filter((r) => !r.startsWith('data:'))
  t.ok(
    referenced.some((r) => r.endsWith('.js')) && referenced.some((r) => r.endsWith('.css')),
    `the page loads ${referenced.join(', ')}`,
  )
  for (const reference of referenced) {
    const url = new URL(reference, 'http://hub.test/graphiql').pathname
    t.match(url, /^\/graphiql\/assets\//, `${reference} is under /graphiql/assets/`)
    const asset = await hub.inject({ url }, null)
    t.equal(asset.statusCode, 200, `${url} is served`)
    t.match(asset.headers['content-type'], /^text\/(javascript|css)/, `${url} is a script or a stylesheet`)
    t.match(asset.headers['cache-control'], /immutable/, `${url}: its name changes with its content`)
  }

  // every file of the bundle: its type, and no CDN in it
  const names = await readdir(join(GRAPHIQL_BUILD_DIR, 'assets'))
  for (const name of names) {
    const asset = await hub.inject({ url: `/graphiql/assets/${name}` }, null)
    t.equal(asset.statusCode, 200, `${name} is served`)
    const type = name.endsWith('.js') ? /^text\/javascript/ : name.endsWith('.css') ? /^text\/css/ : /^font\/ttf$/
    t.match(asset.headers['content-type'], type, `${name}: ${asset.headers['content-type']}`)
    t.notMatch(asset.body, CDN, `${name} fetches nothing from a CDN`)
  }
  // Monaco's three workers are files of the bundle, started by the page script's chunks
  for (const worker of ['editor.worker', 'json.worker', 'graphql.worker']) {
    const file = names.find((name) => name.startsWith(`${worker}-`) && name.endsWith('.js'))
    t.ok(file, `the ${worker} is bundled`)
    const starters = await Promise.all(
      names
        .filter((name) => name.endsWith('.js'))
        .map((name) => readFile(join(GRAPHIQL_BUILD_DIR, 'assets', name), 'utf8')),
    )
    t.ok(
      starters.some((text) => text.includes(`new Worker(new URL(\`${file}\``)),
      `${worker} is started from the hub`,
    )
  }
  const script = referenced.find((r) => r.endsWith('.js')) ?? ''
  const main = await hub.inject({ url: new URL(script, 'http://hub.test/graphiql').pathname }, null)
  t.match(main.body, /PASTE-A-VIEWER-TOKEN/, 'with a header to carry the token /graphql needs')

  for (const url of [
    '/graphiql/assets/nope.js',
    '/graphiql/assets/..%2F.vite%2Fmanifest.json',
    '/graphiql/assets/..%2F..%2Fmain.js',
  ]) {
    t.equal((await hub.inject({ url }, null)).statusCode, 404, `${url}: nothing else is served`)
  }
})

test('without the bundle, /graphiql says how to build it', async (t) => {
  const empty = await mkdtemp(join(tmpdir(), 'crosswalk-graphiql-'))
  t.teardown(() => rm(empty, { recursive: true, force: true }))
  const app = Fastify()
  t.teardown(() => app.close())
  graphiqlRoutes(app, empty)
  const page = await app.inject({ url: '/graphiql' })
  t.equal(page.statusCode, 503)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(page.body, GRAPHIQL_BUILD_COMMAND, 'names the command that builds it')
})

test('no GraphiQL in production', async (t) => {
  const hub = await buildTestApp(t, { config: { production: true } })
  t.equal((await hub.inject({ url: '/graphiql' })).statusCode, 404)
  t.equal((await hub.inject({ url: '/graphiql/assets/nope.js' })).statusCode, 404)
})
