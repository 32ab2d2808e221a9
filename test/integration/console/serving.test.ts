// How the hub serves the console: the page and its files without a token, each with the
// Content-Security-Policy (no inline script but the import map, by its hash), only the console's
// own files and the listed libraries' scripts, nothing outside their folders.
import t from 'tap'
import { createHash } from 'node:crypto'
import { buildTestApp } from '../../helpers/app.ts'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CONTENT_SECURITY_POLICY, VENDOR } from '../../../plugins/console/index.ts'

t.setTimeout(300_000)

t.test('the console is served by the hub', async (t) => {
  const hub = await buildTestApp(t)

  t.test('the page: public, with a CSP that allows its import map by hash and no other inline script', async (t) => {
    const res = await hub.inject({ url: '/console' }, null)
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^text\/html/)
    const csp = String(res.headers['content-security-policy'])
    t.equal(csp, CONTENT_SECURITY_POLICY)
    t.notMatch(csp, /unsafe-inline|unsafe-eval/, 'no unsafe script source')
    const map = /<script type="importmap">(.*?)<\/script>/s.exec(res.body)?.[1]
    if (!map) throw new Error('the page has no import map')
    const digest = createHash('sha256').update(map, 'utf8').digest('base64')
    t.ok(csp.includes(`'sha256-${digest}'`), 'the import map is allowed by its hash')
    t.equal(res.body.match(/<script(?![^>]*\bsrc=)(?![^>]*type="importmap")/g), null, 'no other inline script')
    t.equal(res.headers['x-content-type-options'], 'nosniff')
    // every library the import map names is served
    for (const url of Object.values((JSON.parse(map) as { imports: Record<string, string> }).imports)) {
      const file = await hub.inject({ url: url.replace(/^\./, '') }, null)
      t.equal(file.statusCode, 200, url)
      t.match(file.headers['content-type'], /^text\/javascript/, url)
    }
  })

  t.test("the console's own files", async (t) => {
    const main = await hub.inject({ url: '/console/app/main.js' }, null)
    t.equal(main.statusCode, 200)
    t.match(main.headers['content-type'], /^text\/javascript/)
    t.equal(main.headers['content-security-policy'], CONTENT_SECURITY_POLICY)
    const css = await hub.inject({ url: '/console/app/console.css' }, null)
    t.match(css.headers['content-type'], /^text\/css/)
    // a relative import between the library's files (graphql-ws' shared chunk) is served too
    const client = await hub.inject({ url: '/console/vendor/graphql-ws/dist/client.js' }, null)
    const chunk = /from '\.\/(common-[\w-]+\.js)'/.exec(client.body)?.[1]
    if (!chunk) throw new Error('graphql-ws no longer imports a shared chunk: update this test')
    t.equal((await hub.inject({ url: `/console/vendor/graphql-ws/dist/${chunk}` }, null)).statusCode, 200)
  })

  t.test("a library's Node-only expressions are replaced, as a bundler would (a browser has no process)", async (t) => {
    const table = await hub.inject({ url: '/console/vendor/table-core/build/lib/index.mjs' }, null)
    t.equal(table.statusCode, 200)
    const source = await readFile(join(VENDOR['table-core']?.dir ?? '', 'build/lib/index.mjs'), 'utf8')
    t.match(source, /process\.env\.NODE_ENV/, 'the package reads process.env (else this test checks nothing)')
    t.notMatch(table.body, /\bprocess\./, 'the served module does not')
    t.match(table.body, /"production" !== 'production'/, 'its development checks are off')
  })

  t.test('nothing else', async (t) => {
    // with a token, so that a URL normalised out of /console (a 401 without one) answers 404 too
    const viewer = await hub.token('viewer')
    for (const url of [
      '/console/app/tsconfig.json',
      '/console/app/../index.ts',
      '/console/app/%2e%2e/index.ts',
      '/console/app/%2e%2e%2f%2e%2e%2fpackage.json',
      '/console/app/missing.js',
      '/console/vendor/preact/package.json',
      '/console/vendor/preact/%2e%2e/%2e%2e/package.json',
      '/console/vendor/pg/lib/index.js',
      '/console/vendor/toString/x.js',
    ]) {
      const res = await hub.inject({ url }, viewer)
      t.equal(res.statusCode, 404, url)
      if (res.statusCode === 404) t.equal(res.json<{ code: string }>().code, 'CW_ROUTE_NOT_FOUND', url)
    }
  })
})
