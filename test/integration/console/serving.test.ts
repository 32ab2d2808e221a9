// How the hub serves the console: the page and its files without a token, each with the
// Content-Security-Policy (no inline script but the import map, by its hash), only the console's
// own files and the listed libraries' scripts, nothing outside their folders.
import t from 'tap'
import { createHash } from 'node:crypto'
import { buildTestApp } from '../../helpers/app.ts'
import { readFile } from 'node:fs/promises'
import { join, posix } from 'node:path'
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
    // table-core's modules: the ones its import map entries name and those they import in turn
    const dir = VENDOR['table-core']?.dir ?? ''
    const pending = Object.values(VENDOR['table-core']?.specifiers ?? {})
    const files = new Set<string>()
    let reads = 0
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (files.has(file)) continue
      files.add(file)
      const served = await hub.inject({ url: `/console/vendor/table-core/${file}` }, null)
      t.equal(served.statusCode, 200, file)
      if (/process\.env\.NODE_ENV/.test(await readFile(join(dir, file), 'utf8'))) reads++
      t.notMatch(served.body, /\bprocess\./, `${file} as served does not read process`)
      if (/"production" === "development"/.test(served.body)) t.pass(`${file}: its development checks are off`)
      for (const [, relative] of served.body.matchAll(
        /^(?:import|export)\b[^'"]*?from\s*["'](\.{1,2}\/[^"']+)["']/gm,
      )) {
        pending.push(posix.join(posix.dirname(file), relative ?? ''))
      }
    }
    t.ok(files.size > 1, 'the entry imports other modules (else this walk checks only one)')
    t.ok(reads > 0, 'the package reads process.env (else this test checks nothing)')
  })

  t.test("every bare import of a library's modules is one the import map names", async (t) => {
    const page = await hub.inject({ url: '/console' }, null)
    const map = /<script type="importmap">(.*?)<\/script>/s.exec(page.body)?.[1] ?? '{"imports":{}}'
    const imports = (JSON.parse(map) as { imports: Record<string, string> }).imports
    const pending = Object.values(imports).map((url) => url.replace(/^\./, ''))
    const seen = new Set<string>()
    for (let url = pending.pop(); url !== undefined; url = pending.pop()) {
      if (seen.has(url)) continue
      seen.add(url)
      const served = await hub.inject({ url }, null)
      t.equal(served.statusCode, 200, url)
      // an import or export statement at the start of a line or after a statement (minified)
      for (const [, specifier = ''] of served.body.matchAll(
        /(?:^|[;}])[ \t]*(?:import|export)[ \t]*(?:[\w*{}\s,$]*?from[ \t]*)?["']([^"']+)["']/gm,
      )) {
        if (specifier.startsWith('.')) pending.push(posix.join(posix.dirname(url), specifier))
        else t.ok(Object.hasOwn(imports, specifier), `${url} imports ${specifier}, which the import map names`)
      }
    }
    t.ok(seen.size > Object.keys(imports).length, "the libraries' relative imports were followed")
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
