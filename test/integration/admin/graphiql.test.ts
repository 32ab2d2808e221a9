// GraphiQL is served by the hub itself (issue 12): its page loads nothing from another host, and
// every script and stylesheet it names is answered here, so it works without internet.
import { test } from 'tap'
import { buildTestApp } from '../../helpers/app.ts'

test('the GraphiQL page and everything it loads come from the hub', async (t) => {
  const hub = await buildTestApp(t)
  const page = await hub.inject({ url: '/graphiql' }, null)
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  const referenced = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string)
  t.ok(referenced.length >= 4, `the page loads ${referenced.join(', ')}`)
  t.notMatch(page.body, /https?:\/\//, 'no absolute URL: nothing from a CDN')
  for (const reference of referenced) {
    const url = new URL(reference, 'http://hub.test/graphiql').pathname
    const asset = await hub.inject({ url }, null)
    t.equal(asset.statusCode, 200, `${url} is served`)
    t.match(asset.headers['content-type'], /^text\/(javascript|css)/, `${url} is a script or a stylesheet`)
    t.notMatch(asset.body, /unpkg\.com|jsdelivr\.net|esm\.sh/, `${url} fetches nothing from a CDN`)
  }
  const bundle = await hub.inject({ url: '/graphiql/assets/graphiql.js' }, null)
  // the UMD bundle of the installed package (about 1 MB; 3.9's is 978 kB), not an error page
  t.ok(
    bundle.body.length > 500_000 && bundle.body.includes('.GraphiQL=t('),
    "GraphiQL's own bundle, from the installed package",
  )
  const start = await hub.inject({ url: '/graphiql/assets/start.js' }, null)
  t.match(start.body, /createFetcher\(\{ url: new URL\('\.\/graphql'/, 'it talks to this hub')
  t.match(start.body, /authorization/, 'with a header to carry the token /graphql needs')
  t.equal((await hub.inject({ url: '/graphiql/assets/nope.js' })).statusCode, 404, 'nothing else is served')
})

test('no GraphiQL in production', async (t) => {
  const hub = await buildTestApp(t, { config: { production: true } })
  t.equal((await hub.inject({ url: '/graphiql' })).statusCode, 404)
})
