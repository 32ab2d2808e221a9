// GraphiQL in a real headless Chromium against a hub on a port: the page renders its editors
// under its CSP (Monaco's workers start from the hub's files), a viewer token pasted in the
// headers editor runs a query, shows its answer and starts a subscription, and nothing logs an
// error, fails, or reaches outside the hub. The first schema read goes out with the placeholder
// token: refused, expected.
import t from 'tap'
import { until } from '../../helpers/until.ts'
import { listenOnPort } from '../../helpers/console-hub.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { chromiumMissing, launchChromium, watchPage } from '../../helpers/browser.ts'
import { GRAPHIQL_CONTENT_SECURITY_POLICY } from '../../../plugins/graphql/graphiql.ts'

t.setTimeout(300_000)
const skip = chromiumMissing()

t.test('GraphiQL in Chromium', { skip }, async (t) => {
  const hub = await buildTestApp(t)
  const origin = await listenOnPort(hub)
  const viewer = await hub.token('viewer')
  const browser = await launchChromium(t)
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const watched = watchPage(page, origin)
  const workers: string[] = []
  page.on('worker', (worker) => workers.push(new URL(worker.url()).pathname))
  const frames: string[] = []
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => frames.push(String(frame.payload))))
  watched.expectRefusal(401, 'POST', '/graphql')

  const answer = await page.goto(`${origin}/graphiql`)
  t.equal(answer?.headers()['content-security-policy'], GRAPHIQL_CONTENT_SECURITY_POLICY, 'the page has its CSP')
  const queryEditor = page.locator('.graphiql-query-editor .monaco-editor').first()
  await queryEditor.waitFor()
  const headersEditor = page.locator('.graphiql-editor-tool .monaco-editor').last()
  await page.getByText('PASTE-A-VIEWER-TOKEN').waitFor()
  t.pass('the headers editor is open with the Authorization header to fill in')

  // replace what an editor holds (and what Monaco closed for us as we typed: brackets, quotes)
  const replace = async (editor: typeof queryEditor, text: string) => {
    await editor.click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.insertText(text)
    await page.keyboard.press('Shift+ControlOrMeta+End')
    await page.keyboard.press('Delete')
  }
  await replace(headersEditor, JSON.stringify({ authorization: `Bearer ${viewer}` }))
  await replace(queryEditor, '{ connectors { name } }')
  await page.getByRole('button', { name: /execute query/i }).click()
  await page.locator('.result-window').getByText('servicenow').first().waitFor()
  t.pass('the query ran with the token and its answer is shown')

  // a subscription goes over a WebSocket to /graphql, the headers editor's token in connection_init
  await replace(queryEditor, 'subscription { connectionChanged { action } }')
  // the editor holds the subscription (and nothing Monaco added) before it is run
  await page
    .locator('.graphiql-query-editor .view-lines')
    .filter({ hasText: /^subscription\s*\{\s*connectionChanged\s*\{\s*action\s*\}\s*\}$/ })
    .waitFor()
  await page.getByRole('button', { name: /execute query/i }).click()
  await until(
    () => frames.some((frame) => frame.includes('connection_ack')) && hub.hub.graphqlSockets.size === 1,
    'the subscription to be accepted over the socket',
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}; the result pane says: ${await page.locator('.result-window').textContent()}`)
  })
  t.pass('the subscription is accepted with the token and followed')

  // the GraphQL language worker starts once GraphiQL has a schema, read with the pasted token
  const started = () => [...new Set(workers.map((path) => path.replace(/-[\w-]+\.js$/, '')))].sort()
  for (let i = 0; i < 100 && started().length < 3; i++) await page.waitForTimeout(100)
  t.same(
    started(),
    ['/graphiql/assets/editor.worker', '/graphiql/assets/graphql.worker', '/graphiql/assets/json.worker'],
    "Monaco's workers run from the hub's files",
  )
  t.same(watched.problems, [], 'no console error, failed or foreign request')
})
