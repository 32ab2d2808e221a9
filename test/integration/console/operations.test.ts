// The console's operations screens in a real headless Chromium against a hub on a port, with
// ServiceNow and LeanIX emulators: a run's detail with its per-record actions paged and filtered;
// the IdentityNow SIM's integrations and provisioning records with their tickets, closed by hand;
// tokens created (the secret shown once) and revoked, and the audit log that recorded it.
// An admin uses each screen; a viewer is not offered what a viewer may not do. No page logs an
// error, makes a request that fails, or reaches outside the hub.
import t, { type Test } from 'tap'
import type { Browser } from 'playwright-core'
import { listenOnPort, screenshot, signedIn } from '../../helpers/console-hub.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { chromiumMissing, launchChromium } from '../../helpers/browser.ts'
import { until } from '../../helpers/until.ts'
import { seriousViolations } from '../../helpers/accessibility.ts'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { startLeanixEmulator } from '../../../connectors/leanix/emulator/index.ts'
import { zeroCounts } from '../../../core/sync/counts.ts'

t.setTimeout(300_000)
const skip = chromiumMissing()
// the README's screenshots: CROSSWALK_SCREENSHOTS=docs/console npx tap test/integration/console/operations.test.ts
const SN_PASSWORD = 'console-admin'

t.test('the operations screens in Chromium', { skip }, async (t) => {
  const sn = await startServiceNowEmulator({ adminPassword: SN_PASSWORD, seed: { seed: 5, businessApps: 5 } })
  t.teardown(() => sn.close())
  const lx = await startLeanixEmulator({ seed: { seed: 5, factSheets: 500 } })
  t.teardown(() => lx.close())
  const hub = await buildTestApp(t, { config: { rateLimit: { max: 100_000 } } })
  const origin = await listenOnPort(hub)
  const browser = await launchChromium(t)

  // a finished run with records created and left unchanged: the applications, run twice
  const leanix = await hub.app.connections.create({
    name: 'leanix',
    connector: 'leanix',
    settings: { instanceUrl: lx.url, allowHttp: true, apiToken: lx.apiToken },
  })
  const servicenow = await hub.app.connections.create({
    name: 'servicenow',
    connector: 'servicenow',
    settings: { instanceUrl: sn.url, allowHttp: true, username: 'admin', password: SN_PASSWORD },
  })
  const defaults = await hub.inject({
    method: 'POST',
    url: '/api/v1/mappings/defaults',
    payload: { leanixConnectionId: leanix.id, servicenowConnectionId: servicenow.id },
  })
  t.equal(defaults.statusCode, 201, 'the CSDM defaults are created')
  const mappings = (await hub.inject({ url: '/api/v1/mappings' })).json<{
    items: Array<{ id: string; name: string }>
  }>()
  const applications = mappings.items.find((m) => m.name === 'CSDM: Applications')
  if (!applications) throw new Error('the defaults made no applications mapping')

  async function runToEnd(mappingId: string): Promise<{ id: string; counts: { created: number } }> {
    const started = await hub.inject({ method: 'POST', url: `/api/v1/mappings/${mappingId}/runs`, payload: {} })
    t.equal(started.statusCode, 202, 'the run is started')
    const { id } = started.json<{ id: string }>()
    let run = { id, status: 'QUEUED', counts: { created: 0 } }
    await until(
      async () => {
        run = (await hub.inject({ url: `/api/v1/runs/${id}` })).json()
        return run.status !== 'QUEUED' && run.status !== 'RUNNING'
      },
      `the run ${id} to finish`,
      { timeoutMs: 60_000 },
    )
    return run
  }
  const firstRun = await runToEnd(applications.id)

  // two SIM tickets on the ServiceNow emulator: incidents of one service desk integration
  const SOURCE = { id: '2c9180835d191a86015d28455b4a0c01', name: 'Badge system' }
  await hub.hub.identitynow.integrations.create({
    name: 'ServiceNow incidents',
    description: 'badge access',
    type: 'Generic SDIM',
    managedSources: [SOURCE.id],
    attributes: { url: sn.url, authType: 'Basic', username: 'admin', password: SN_PASSWORD, ticketType: 'incident' },
  })
  const tickets: string[] = []
  for (const [index, name] of ['Jane Doe', 'John Roe'].entries()) {
    const intake = await hub.inject({
      method: 'POST',
      url: '/api/v1/identitynow/provisioning-plans',
      payload: {
        requestId: `IR-CONSOLE-${index}`,
        identity: { id: `e0c2bb0ad3a4445d9c5d4f2b7b8d3f1${index}`, name },
        accountRequests: [{ source: SOURCE, nativeIdentity: `user${index}`, operation: 'Create' }],
      },
    })
    const [outcome] = intake.json<{ sources: Array<{ ticketId?: string | null }> }>().sources
    if (!outcome?.ticketId) throw new Error(`no ticket for ${name}: ${intake.body}`)
    tickets.push(outcome.ticketId)
  }

  const signIn = (t: Test, b: Browser, token: string) => signedIn(t, b, origin, token)

  t.test("a run's detail: its counts and its records, paged and filtered", async (t) => {
    t.ok(firstRun.counts.created > 50, `the run created more records than a page holds (${firstRun.counts.created})`)
    const { page, problems } = await signIn(t, browser, await hub.token('viewer', 'runs viewer'))
    await page.getByRole('link', { name: 'Runs' }).click()
    await page.getByRole('link', { name: /^Details of the run of CSDM: Applications/ }).click()
    await page.getByRole('heading', { name: 'Run: CSDM: Applications' }).waitFor()
    const summary = page.getByTestId('run-summary')
    t.match(await summary.textContent(), /Status\s*OK/, 'the status')
    t.equal(
      await summary.locator('[data-count="created"] dd').textContent(),
      String(firstRun.counts.created),
      'the counts',
    )
    const rows = page.locator('tbody tr')
    await rows.first().waitFor()
    t.equal(await rows.count(), 50, 'a page of 50 records')
    const firstOfPage1 = await rows.first().locator('th').textContent()
    await page.getByRole('button', { name: 'Next page' }).click()
    await page.getByText(/^Records 51 to/).waitFor()
    t.not(await rows.first().locator('th').textContent(), firstOfPage1, 'the next page shows other records')
    const onPage2 = (await rows.nth(1).locator('th').textContent()) ?? ''
    await page.getByRole('button', { name: 'Previous page' }).click()
    await page.getByText(/^Records 1 to 50$/).waitFor()
    t.equal(await rows.first().locator('th').textContent(), firstOfPage1, 'and back')
    t.ok(await page.getByRole('button', { name: 'Previous page' }).isDisabled(), 'no page before the first')

    // the Record search asks the hub, so it finds a record of a page not on screen
    const search = page.getByLabel('Record', { exact: true })
    await search.fill(onPage2.toUpperCase())
    await page.locator('tbody tr th', { hasText: onPage2 }).first().waitFor()
    const found = await rows.locator('th').allTextContents()
    t.ok(
      found.length > 0 && found.every((name) => name.toLowerCase().includes(onPage2.toLowerCase())),
      `the hub's search found ${onPage2}, on page 2 before, and only records with that name`,
    )
    await page.getByText(/^Records 1 to \d+$/).waitFor()
    await search.fill('')
    await page.getByText(/^Records 1 to 50$/).waitFor()
    t.equal(await rows.first().locator('th').textContent(), firstOfPage1, 'an emptied search shows the run again')

    // filters go back to the first page and ask the hub for those records only
    await page.getByLabel('Action', { exact: true }).selectOption('CREATE')
    await page.getByLabel('Outcome', { exact: true }).selectOption('ERROR')
    await page.getByText('No record with these filters.').waitFor()
    await page.getByLabel('Outcome', { exact: true }).selectOption('OK')
    await rows.first().waitFor()
    t.equal(await page.locator('tbody tr:not([data-action="CREATE"][data-outcome="OK"])').count(), 0, 'only OK creates')
    t.ok(await rows.first().locator('dl.changes dt', { hasText: 'name' }).count(), 'a create shows its fields')
    await screenshot(page, 'run-detail')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: run-detail')
    t.same(problems, [], 'no console error, failed or foreign request')
  })

  t.test('IdentityNow SIM: an operator closes a ticket by hand; a viewer may not', async (t) => {
    const [first = '', second = ''] = tickets
    const viewer = await signIn(t, browser, await hub.token('viewer', 'sim viewer'))
    await viewer.page.getByRole('link', { name: 'IdentityNow' }).click()
    await viewer.page.locator('tr[data-integration="ServiceNow incidents"]').waitFor()
    await viewer.page.locator(`tr[data-ticket="${first}"][data-state="queued"]`).waitFor()
    t.equal(await viewer.page.getByRole('button', { name: /^Close / }).count(), 0, 'a viewer is offered no close')
    t.same(viewer.problems, [], 'no console error, failed or foreign request (viewer)')

    const { page, problems } = await signIn(t, browser, await hub.token('operator', 'sim operator'))
    await page.getByRole('link', { name: 'IdentityNow' }).click()
    const row = page.locator(`tr[data-ticket="${first}"]`)
    t.match(await row.textContent(), /Jane Doe/, 'the record names its identity')
    t.match(await row.textContent(), /ServiceNow incidents/, 'and its integration')
    t.ok(first.startsWith('INC'), 'the ticket is a ServiceNow incident number')
    await row.getByRole('button', { name: `Close ${first}` }).click()
    const dialog = page.getByRole('dialog', { name: `Close ${first} by hand?` })
    await dialog.getByLabel('Failed').check()
    await dialog.getByLabel('Why (kept with the record)').fill('badge printer broken')
    await screenshot(page, 'identitynow-close')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: identitynow-close')
    await dialog.getByRole('button', { name: 'Close ticket' }).click()
    await page.locator(`tr[data-ticket="${first}"][data-state="failed"]`).waitFor()
    t.match(await page.locator(`tr[data-ticket="${first}"]`).textContent(), /badge printer broken/, 'the reason')
    const record = (await hub.inject({ url: `/api/v1/identitynow/provisioning/${first}` })).json<{ state: string }>()
    t.equal(record.state, 'failed', 'the hub closed it')

    // the state filter asks the hub for the open ones only
    await page.getByLabel('State', { exact: true }).selectOption('queued')
    await page.locator(`tr[data-ticket="${first}"]`).waitFor({ state: 'detached' })
    t.equal(await page.locator('tbody tr[data-ticket]').count(), 1, 'one queued ticket left')
    t.equal(await page.locator('tbody tr[data-ticket]').getAttribute('data-ticket'), second)
    await page.getByLabel('State', { exact: true }).selectOption('')
    await page.locator(`tr[data-ticket="${first}"]`).waitFor()
    await screenshot(page, 'identitynow')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: identitynow')
    t.same(problems, [], 'no console error, failed or foreign request')
  })

  t.test('tokens and the audit log: an admin creates and revokes a token; a viewer is offered neither', async (t) => {
    const { page, problems } = await signIn(t, browser, hub.adminToken)
    await page.getByRole('link', { name: 'Tokens' }).click()
    t.match(await page.locator('tbody tr', { hasText: '(this session)' }).textContent(), /admin/, 'this session')
    const form = page.getByRole('form', { name: 'New token' })
    await form.getByLabel('Name (what it is for)').fill('ci reader')
    await form.getByLabel('Role').selectOption('operator')
    await form.getByRole('button', { name: 'Create token' }).click()
    const secret = (await page.getByTestId('new-token').textContent()) ?? ''
    const me = await hub.inject({ url: '/api/v1/me' }, secret)
    t.equal(me.statusCode, 200, 'the secret shown is the new token')
    t.equal(me.json<{ role: string }>().role, 'operator')
    await screenshot(page, 'tokens')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: tokens')
    await page.getByRole('button', { name: 'Done' }).click()
    t.equal(await page.getByTestId('new-token').count(), 0, 'the secret is shown once')
    t.equal(await page.getByText(secret).count(), 0, 'and nowhere else')

    await page.getByRole('button', { name: 'Revoke ci reader' }).click()
    await page.getByRole('dialog', { name: 'Revoke ci reader?' }).getByRole('button', { name: 'Revoke' }).click()
    await page.locator('tr[data-token="ci reader"]').waitFor({ state: 'detached' })
    t.equal((await hub.inject({ url: '/api/v1/me' }, secret)).statusCode, 401, 'the token is refused')
    await page.getByLabel('Show revoked tokens').check()
    await page.locator('tr[data-token="ci reader"]').waitFor()
    t.equal(
      await page
        .locator('tr[data-token="ci reader"]')
        .getByRole('button', { name: /^Revoke/ })
        .count(),
      0,
      'a revoked token is not offered for revoking',
    )

    await page.getByRole('link', { name: 'Audit log' }).click()
    await page.getByLabel('Action', { exact: true }).fill('POST /api/v1/tokens')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.getByText(/^Entries 1 to 1 of 1$/).waitFor()
    const created = page.locator('tbody tr')
    t.equal(await created.getAttribute('data-action'), 'POST /api/v1/tokens', 'only the creation')
    t.match(await created.textContent(), /admin/, 'by whom')
    await created.getByText('Summary').click()
    t.match(await created.locator('pre').textContent(), /ci reader/, 'what was asked')
    await page.getByLabel('Action', { exact: true }).fill('')
    await page.getByLabel('Actor', { exact: true }).fill('nobody at all')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.getByText('No audit entry with these filters.').waitFor()
    await page.getByLabel('Actor', { exact: true }).fill('admin (CROSSWALK_ADMIN_TOKEN)')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.locator('tbody tr[data-action^="DELETE /api/v1/tokens"]').waitFor()
    const actors = await page.locator('tbody tr td:nth-child(2)').allTextContents()
    t.ok(
      actors.every((who) => who.startsWith('admin (CROSSWALK_ADMIN_TOKEN)')),
      `only the admin's entries (${actors.length})`,
    )
    await screenshot(page, 'audit')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: audit')
    t.same(problems, [], 'no console error, failed or foreign request')

    const viewer = await signIn(t, browser, await hub.token('viewer', 'audit viewer'))
    for (const name of ['Tokens', 'Audit log']) {
      t.equal(await viewer.page.getByRole('link', { name }).count(), 0, `a viewer is offered no ${name}`)
    }
    // typed in by hand, an admin screen's address shows the first screen, asking the hub nothing
    await viewer.page.getByRole('link', { name: 'Runs' }).click()
    await viewer.page.getByRole('heading', { name: 'Runs' }).waitFor()
    await viewer.page.goto(`${origin}/console#/tokens`)
    await viewer.page.getByRole('heading', { name: 'Connections' }).waitFor()
    t.same(viewer.problems, [], 'no console error, failed or foreign request (viewer)')
  })

  t.test('Runs: older runs page by page; a header sorts the page on screen, by click or by key', async (t) => {
    // a history longer than a page: finished runs written as the runner writes them (real syncs
    // of this many would take minutes), every third one failed
    const capabilities = mappings.items.find((m) => m.name === 'CSDM: Business capabilities')
    if (!capabilities) throw new Error('the defaults made no capabilities mapping')
    let newest = ''
    for (let i = 0; i < 59; i++) {
      const run = await hub.app.runs.create({
        mappingId: capabilities.id,
        trigger: 'manual',
        dryRun: false,
        kind: 'full',
      })
      await hub.app.runs.finish(run.id, i % 3 === 0 ? 'ERROR' : 'OK', { ...zeroCounts(), read: i }, `history ${i}`)
      newest = run.id
    }
    const { total } = (await hub.inject({ url: '/api/v1/runs?limit=1' })).json<{ total: number }>()
    t.ok(total > 50 && total <= 100, `two pages of runs (${total})`)

    const { page, problems } = await signIn(t, browser, await hub.token('viewer', 'history viewer'))
    await page.getByRole('link', { name: 'Runs' }).click()
    const rows = page.locator('tbody tr')
    await page.getByText(`Runs 1 to 50 of ${total}`).waitFor()
    t.equal(await rows.count(), 50, 'the newest 50')
    t.equal(await rows.first().getAttribute('data-run'), newest, 'newest first')
    t.ok(await page.getByRole('button', { name: 'Newer runs' }).isDisabled(), 'nothing newer than the newest')
    t.equal(await page.locator(`tr[data-run="${firstRun.id}"]`).count(), 0, 'the oldest run is not on the first page')

    await page.getByRole('button', { name: 'Older runs' }).click()
    await page.getByText(`Runs 51 to ${total} of ${total}`).waitFor()
    t.equal(await rows.count(), total - 50, 'the older ones')
    await page.locator(`tr[data-run="${firstRun.id}"]`).waitFor()
    t.equal(await rows.last().getAttribute('data-run'), firstRun.id, 'the oldest run last')
    t.ok(await page.getByRole('button', { name: 'Older runs' }).isDisabled(), 'nothing older than the oldest')
    await page.getByRole('button', { name: 'Newer runs' }).click()
    await page.getByText(`Runs 1 to 50 of ${total}`).waitFor()
    t.equal(await rows.first().getAttribute('data-run'), newest, 'and back to the newest')

    // the newest is OK (58 is not a multiple of 3): sorting by status brings the failed ones up
    const header = page.getByRole('columnheader', { name: 'Status' })
    t.equal(await header.getAttribute('aria-sort'), null, "the server's order: no column is sorted")
    await header.getByRole('button', { name: 'Status' }).click()
    // (each answer waits for the header to say it: the screen draws after the click)
    await page.locator('th[aria-sort="ascending"]', { hasText: 'Status' }).waitFor()
    t.equal(await header.getAttribute('aria-sort'), 'ascending', 'the header says how it is sorted')
    t.equal(await rows.first().getAttribute('data-status'), 'ERROR', 'ascending: ERROR first')
    t.equal(await rows.last().getAttribute('data-status'), 'OK', 'OK last')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: runs sorted')
    await header.getByRole('button', { name: 'Status' }).press('Enter')
    await page.locator('th[aria-sort="descending"]', { hasText: 'Status' }).waitFor()
    t.equal(await header.getAttribute('aria-sort'), 'descending', 'a key sorts too')
    t.equal(await rows.first().getAttribute('data-status'), 'OK', 'descending: OK first')
    t.equal(await rows.last().getAttribute('data-status'), 'ERROR', 'ERROR last')
    await header.getByRole('button', { name: 'Status' }).press('Space')
    await page.locator('th[aria-sort]').waitFor({ state: 'detached' })
    t.equal(await header.getAttribute('aria-sort'), null, 'a third time: unsorted')
    t.equal(await rows.first().getAttribute('data-run'), newest, "the server's order again")

    // a filter asks the hub again, from the first page
    await page.getByRole('button', { name: 'Older runs' }).click()
    await page.getByText(`Runs 51 to ${total} of ${total}`).waitFor()
    await page.getByLabel('Status', { exact: true }).selectOption('ERROR')
    await page.getByText('Runs 1 to 20 of 20').waitFor()
    t.equal(await page.locator('tbody tr:not([data-status="ERROR"])').count(), 0, 'only the failed runs')
    t.same(problems, [], 'no console error, failed or foreign request')
  })
})
