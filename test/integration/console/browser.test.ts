// The operator console in a real headless Chromium against a hub on a port, with ServiceNow and
// LeanIX emulators: an admin signs in, creates a connection from its connector's schema, checks
// it, creates the CSDM defaults, reads a plan filtered by action, starts a run and sees it reach
// its end through the live subscription, cancels a run, and restores a mapping version after
// comparing it; a viewer is offered nothing it may not do, and a revoked token signs the console
// out. No page logs an error, makes a request that fails, or reaches outside the hub.
import t, { type Test } from 'tap'
import type { Browser } from 'playwright-core'
import { listenOnPort, screenshot, signedIn } from '../../helpers/console-hub.ts'
import { seriousViolations } from '../../helpers/accessibility.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { chromiumMissing, launchChromium, watchPage } from '../../helpers/browser.ts'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { startLeanixEmulator } from '../../../connectors/leanix/emulator/index.ts'
import { CONTENT_SECURITY_POLICY } from '../../../plugins/console/index.ts'
import type { RunRecord } from '../../../core/sync/runs-repository.ts'

t.setTimeout(300_000)
const skip = chromiumMissing()
// the README's screenshots: CROSSWALK_SCREENSHOTS=docs/console npx tap test/integration/console/browser.test.ts
const SN_PASSWORD = 'console-admin'

/** Holds runs of one mapping at their first commit until released (to cancel one mid-run). */
class Gate {
  mappingId: string | undefined
  #release: (() => void) | undefined
  #held: Promise<void> = Promise.resolve()
  hold(mappingId: string) {
    this.mappingId = mappingId
    this.#held = new Promise((resolve) => (this.#release = resolve))
  }
  release() {
    this.mappingId = undefined
    this.#release?.()
  }
  async afterCommit(run: RunRecord) {
    if (run.mappingId === this.mappingId) await this.#held
  }
}

t.test('the console in Chromium', { skip }, async (t) => {
  const sn = await startServiceNowEmulator({ adminPassword: SN_PASSWORD, seed: { seed: 3, businessApps: 5 } })
  t.teardown(() => sn.close())
  const lx = await startLeanixEmulator({ seed: { seed: 3, factSheets: 50 } })
  t.teardown(() => lx.close())
  const gate = new Gate()
  const hub = await buildTestApp(t, {
    config: { rateLimit: { max: 100_000 } },
    sync: { engine: { hooks: { afterCommit: (run) => gate.afterCommit(run) } } },
  })
  const origin = await listenOnPort(hub)
  const browser = await launchChromium(t)

  /** the id of the mapping named `name` (made by the first test) */
  async function mappingId(name: string): Promise<string> {
    const answer = await hub.inject({ url: '/api/v1/mappings' })
    const found = answer.json<{ items: Array<{ id: string; name: string }> }>().items.find((m) => m.name === name)
    if (!found) throw new Error(`no mapping ${name}: the defaults were not created`)
    return found.id
  }

  /** a fresh page signed in with `token`, watched for problems; the console page has its CSP */
  async function signIn(t: Test, b: Browser, token: string) {
    const { csp, ...signed } = await signedIn(t, b, origin, token)
    t.equal(csp, CONTENT_SECURITY_POLICY, 'the page has its CSP')
    return signed
  }

  t.test('an admin connects ServiceNow, creates the defaults and runs them to the end', async (t) => {
    await hub.app.connections.create({
      name: 'leanix',
      connector: 'leanix',
      settings: { instanceUrl: lx.url, allowHttp: true, apiToken: lx.apiToken },
    })
    const { page, problems, expectRefusal } = await signIn(t, browser, hub.adminToken)
    t.equal(await page.getByTestId('role').textContent(), 'admin')

    await page.getByRole('button', { name: 'New connection' }).click()
    const form = page.getByRole('form', { name: 'New connection' })
    await form.getByLabel('Connector', { exact: true }).selectOption('servicenow')
    await form.getByLabel('Name', { exact: true }).fill('servicenow')
    await form.getByLabel('instanceUrl', { exact: true }).fill(sn.url)
    await form.getByLabel('username', { exact: true }).fill('admin')
    await form.getByLabel('password', { exact: true }).fill(SN_PASSWORD)
    await form.getByText('Settings with defaults').click()
    await form.getByLabel('allowHttp', { exact: true }).check()
    // a value the hub refuses is shown at its field, with the hub's words
    const correlation = form.getByLabel('correlationField', { exact: true })
    await correlation.fill('Not A Field')
    expectRefusal(400, 'POST', '/api/v1/connections')
    await form.getByRole('button', { name: 'Create' }).click()
    await form.locator('.field-problem').waitFor()
    t.equal(await correlation.getAttribute('aria-invalid'), 'true', 'the field is marked invalid')
    t.equal(await form.locator('.field-problem').count(), 1, 'the problem is at that field only')
    await screenshot(page, 'connection-form')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: connection-form')
    t.match(await form.getByRole('alert').textContent(), /CW_CONNECTION_SETTINGS_INVALID/)
    await correlation.fill('correlation_id')
    await form.getByRole('button', { name: 'Create' }).click()
    const row = page.locator('tr[data-connection="servicenow"]')
    await row.waitFor()
    t.equal(await row.locator('td').nth(2).textContent(), 'password', 'the secret is listed as set, not shown')

    await row.getByRole('button', { name: 'Check servicenow' }).click()
    await row.locator('.health .status-ok').waitFor()
    await screenshot(page, 'connections')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: connections')

    // editing shows the stored secret as set, never its value
    await row.getByRole('button', { name: 'Edit servicenow' }).click()
    const edit = page.getByRole('form', { name: 'Edit servicenow' })
    t.equal(await edit.getByLabel('password', { exact: false }).first().inputValue(), '', 'no secret in the form')
    t.ok(await edit.getByText('set', { exact: true }).isVisible(), 'the secret is marked set')
    await edit.getByRole('button', { name: 'Cancel' }).click()

    await page.getByRole('link', { name: 'Mappings' }).click()
    await page.getByRole('button', { name: 'Create CSDM defaults' }).click()
    const defaults = page.getByRole('form', { name: 'Create CSDM defaults' })
    await defaults.waitFor()
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: the defaults dialog')
    await defaults.getByRole('button', { name: 'Create' }).click()
    const capabilities = page.locator('tr[data-mapping="CSDM: Business capabilities"]')
    await capabilities.waitFor()

    // the plan of the applications: every record to create, field by field, filterable
    await page.getByRole('link', { name: 'Plan CSDM: Applications' }).click()
    await page.getByTestId('plan-counts').waitFor()
    await page.getByLabel('Action', { exact: true }).selectOption('CREATE')
    const creates = page.locator('tbody tr[data-action="CREATE"]')
    await creates.first().waitFor()
    t.equal(await page.locator('tbody tr:not([data-action="CREATE"])').count(), 0, 'only creates are shown')
    t.ok(await creates.first().locator('dl.changes dt', { hasText: 'name' }).count(), 'a create shows its fields')
    await screenshot(page, 'plan')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: plan')
    // the Record field searches the records on screen by name or id (in the table, not the hub)
    const loadedCount = await creates.count()
    const name = (await creates.nth(1).locator('th').textContent())?.trim() ?? ''
    t.ok(name, `a record name to search (${name})`)
    await page.getByLabel('Record', { exact: true }).fill(name.toUpperCase())
    await page.locator('tbody tr').filter({ hasNotText: name }).first().waitFor({ state: 'detached' })
    const found = await page.locator('tbody tr th').allTextContents()
    t.ok(found.length >= 1 && found.length < loadedCount, `fewer records (${found.length} of ${loadedCount})`)
    t.ok(
      found.every((text) => text.toLowerCase().includes(name.toLowerCase())),
      'each found one has the name',
    )
    await page.getByLabel('Record', { exact: true }).fill('no record is called this')
    await page.getByText('No record planned with these filters.').waitFor()
    await page.getByLabel('Record', { exact: true }).fill('')
    await creates.nth(loadedCount - 1).waitFor()
    await page.getByRole('link', { name: 'Mappings' }).click()

    await capabilities.getByRole('button', { name: 'Run now' }).click()
    await page.getByRole('heading', { name: 'Runs' }).waitFor()
    await page.getByText('Live updates on').waitFor()
    // the list is reloaded only when the subscription says the run finished
    const finished = page.locator('tbody tr[data-status="OK"]', { hasText: 'CSDM: Business capabilities' })
    await finished.waitFor()
    t.match(await finished.locator('.counts').textContent(), /read \d+/, 'the finished run shows its counts')
    await screenshot(page, 'runs')
    await page.getByRole('link', { name: 'Mappings' }).click()
    await page.locator('tr[data-mapping="CSDM: Business capabilities"] .badge').waitFor()
    await screenshot(page, 'mappings')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: mappings')
    t.same(problems, [], 'no console error, failed or foreign request')
  })

  t.test('an admin cancels a running run', async (t) => {
    gate.hold(await mappingId('CSDM: Applications'))
    const { page, problems } = await signIn(t, browser, hub.adminToken)
    await page.getByRole('link', { name: 'Mappings' }).click()
    await page.getByRole('button', { name: 'Run now CSDM: Applications' }).click()
    const running = page.locator('tbody tr[data-status="RUNNING"]')
    await running.waitFor()
    await running.getByRole('button', { name: /^Cancel/ }).click()
    await page.locator('tbody tr[data-status="RUNNING"]').getByText('cancelling').waitFor()
    gate.release()
    await page.locator('tbody tr[data-status="CANCELLED"]').waitFor()
    t.same(problems, [], 'no console error, failed or foreign request')
  })

  t.test('a run the live updates never report still reaches its end on the runs screen', async (t) => {
    gate.hold(await mappingId('CSDM: Applications'))
    const { page, problems } = await signIn(t, browser, hub.adminToken)
    // the hub never answers this page's socket: no connection_ack, no event of any run
    await page.routeWebSocket(/\/graphql$/, () => {})
    await page.getByRole('link', { name: 'Mappings' }).click()
    await page.getByRole('button', { name: 'Run now CSDM: Applications' }).click()
    const running = page.locator('tbody tr[data-status="RUNNING"]', { hasText: 'CSDM: Applications' })
    await running.waitFor()
    const runId = await running.getAttribute('data-run')
    gate.release()
    const ended = page.locator(`tbody tr[data-run="${runId}"]:not([data-status="RUNNING"]):not([data-status="QUEUED"])`)
    await ended.waitFor()
    t.ok(await page.getByText('Connecting live updates...').isVisible(), 'no live update helped')
    const run = (await hub.inject({ url: `/api/v1/runs/${runId}` })).json<{ status: string }>()
    t.equal(await ended.getAttribute('data-status'), run.status, 'the row shows how the run ended')
    t.same(problems, [], 'no console error, failed or foreign request')
  })

  t.test('an admin compares a version with the current one and restores it', async (t) => {
    const capabilities = { id: await mappingId('CSDM: Business capabilities') }
    const patched = await hub.inject({
      method: 'PATCH',
      url: `/api/v1/mappings/${capabilities.id}`,
      payload: { mode: 'strict' },
    })
    t.equal(patched.statusCode, 200, patched.body)
    const { page, problems } = await signIn(t, browser, hub.adminToken)
    await page.getByRole('link', { name: 'Mappings' }).click()
    await page.getByRole('link', { name: 'Versions CSDM: Business capabilities' }).click()
    await page.getByRole('button', { name: 'Compare version 1 with current' }).click()
    const changed = page.locator('tr.diff-replace', { hasText: '/mode' })
    await changed.waitFor()
    t.match(await changed.locator('.diff-before').textContent(), /conservative|additive/, 'version 1 side')
    t.match(await changed.locator('.diff-after').textContent(), /strict/, 'current side')
    await screenshot(page, 'versions')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: versions')

    await page.getByRole('button', { name: 'Restore version 1' }).click()
    await page.getByRole('dialog', { name: 'Restore version 1?' }).getByRole('button', { name: 'Restore' }).click()
    await page.locator('tr[data-version="3"]', { hasText: '(current)' }).waitFor()
    const mapping = (await hub.inject({ url: `/api/v1/mappings/${capabilities.id}` })).json<{ mode: string }>()
    t.not(mapping.mode, 'strict', 'the mapping is as version 1 had it')
    t.same(problems, [], 'no console error, failed or foreign request')
  })

  t.test('a token revoked while the console is open signs it out, saying why', async (t) => {
    const token = await hub.token('viewer', 'console revoked')
    const { page, problems, expectRefusal } = await signIn(t, browser, token)
    // the connections screen's own reads answered before the token goes: the refusal comes from
    // the next screen, which the test opens, not from a read still under way (a slow machine)
    await page.locator('tr[data-connection="servicenow"]').waitFor()
    const me = (await hub.inject({ url: '/api/v1/me' }, token)).json<{ tokenId: string }>()
    t.equal((await hub.inject({ method: 'DELETE', url: `/api/v1/tokens/${me.tokenId}` })).statusCode, 200)
    for (const path of ['/api/v1/mappings?limit=500', '/api/v1/connections?limit=500&offset=0', '/api/v1/status']) {
      expectRefusal(401, 'GET', path)
    }
    await page.getByRole('link', { name: 'Mappings' }).click()
    await page.getByLabel('Bearer token').waitFor()
    t.match(await page.getByRole('alert').textContent(), /no longer accepts this token/)
    t.equal(await page.evaluate('sessionStorage.length'), 0, 'the token is forgotten')
    t.same(problems, [], 'no other console error, failed or foreign request')
  })

  t.test('the sign-in screen, and a token the hub refuses', async (t) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    t.teardown(() => context.close())
    const page = await context.newPage()
    const { problems, expectRefusal } = watchPage(page, origin)
    await page.goto(`${origin}/console`)
    await page.getByLabel('Bearer token').waitFor()
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: sign-in')
    expectRefusal(401, 'GET', '/api/v1/me')
    await page.getByLabel('Bearer token').fill('cw_not-a-token')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').waitFor()
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: sign-in refused')
    t.same(problems, [], 'no console error or failed request but the one refusal')
  })

  t.test('a viewer is offered nothing a viewer may not do', async (t) => {
    const { page, problems } = await signIn(t, browser, await hub.token('viewer', 'console viewer'))
    t.equal(await page.getByTestId('role').textContent(), 'viewer')
    await page.locator('tr[data-connection="servicenow"]').waitFor()
    for (const name of ['New connection', /^Check/, /^Edit/, /^Delete/]) {
      t.equal(await page.getByRole('button', { name }).count(), 0, `no ${String(name)} button`)
    }
    await page.getByRole('link', { name: 'Mappings' }).click()
    await page.locator('tr[data-mapping="CSDM: Applications"]').waitFor()
    for (const name of [/^Run now/, 'Create CSDM defaults']) {
      t.equal(await page.getByRole('button', { name }).count(), 0, `no ${String(name)} button`)
    }
    t.equal(await page.getByRole('link', { name: /^Plan/ }).count(), 0, 'no plan link (a plan is a dry run)')
    await page.getByRole('link', { name: 'Versions CSDM: Business capabilities' }).click()
    await page.getByRole('button', { name: /^Compare version 1/ }).waitFor()
    t.equal(await page.getByRole('button', { name: /^Restore/ }).count(), 0, 'no restore button')
    await page.getByRole('link', { name: 'Mappings' }).click()
    await page.locator('tr[data-mapping="CSDM: Applications"]').waitFor()
    await page.getByRole('link', { name: 'Runs' }).click()
    await page.locator('tbody tr').first().waitFor()
    t.equal(await page.getByRole('button', { name: /^Cancel/ }).count(), 0, 'no cancel button')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Bearer token').waitFor()
    t.equal(await page.evaluate('sessionStorage.length'), 0, 'signing out forgets the token')
    t.same(problems, [], 'no console error, failed or foreign request')
  })
})
