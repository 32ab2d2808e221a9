// The console's mapping editor in a real headless Chromium against a hub on a port, with
// ServiceNow and LeanIX emulators: an admin changes a field mapping's direction and the mode
// and the API has them; a save the hub refuses shows each problem at the input it points to,
// keeps what was typed, and the fix saves (one that names no input at the top); a new mapping is
// created from the list; a viewer and an operator are offered no editor. No page logs an error or makes a request that fails.
import t, { type Test } from 'tap'
import type { Browser, Locator, Page } from 'playwright-core'
import { listenOnPort, screenshot, signedIn } from '../../helpers/console-hub.ts'
import { seriousViolations } from '../../helpers/accessibility.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { chromiumMissing, launchChromium } from '../../helpers/browser.ts'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { startLeanixEmulator } from '../../../connectors/leanix/emulator/index.ts'

t.setTimeout(300_000)
const skip = chromiumMissing()
// the README's screenshot: CROSSWALK_SCREENSHOTS=docs/console npx tap test/integration/console/editor.test.ts
const SN_PASSWORD = 'editor-admin'
const CAPABILITIES = 'CSDM: Business capabilities'

interface StoredMapping {
  id: string
  name: string
  version: number
  mode: string
  definition: {
    description?: string
    fields: Array<Record<string, unknown> & { values?: Array<{ source: string; target: string }> }>
    target: { filter?: string }
    schedule?: { cron: string | null }
    matching?: { rules: Array<{ source: string[]; target: string[] }> }
    events?: { batchSize: number }
  }
}

t.test('the mapping editor in Chromium', { skip }, async (t) => {
  const sn = await startServiceNowEmulator({ adminPassword: SN_PASSWORD, seed: { seed: 5, businessApps: 3 } })
  t.teardown(() => sn.close())
  const lx = await startLeanixEmulator({ seed: { seed: 5, factSheets: 50 } })
  t.teardown(() => lx.close())
  const hub = await buildTestApp(t, { config: { rateLimit: { max: 100_000 } } })
  const origin = await listenOnPort(hub)
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
  t.equal(defaults.statusCode, 201, 'the CSDM defaults are there to edit')
  const browser = await launchChromium(t)

  async function stored(name: string): Promise<StoredMapping> {
    const list = (await hub.inject({ url: '/api/v1/mappings' })).json<{ items: StoredMapping[] }>()
    const found = list.items.find((m) => m.name === name)
    if (!found) throw new Error(`no mapping ${name}`)
    return found
  }

  /** a fresh page signed in with `token` on the mappings screen, watched for problems */
  async function mappingsScreen(t: Test, b: Browser, token: string) {
    const { page, csp: _csp, ...watched } = await signedIn(t, b, origin, token)
    await page.getByRole('link', { name: 'Mappings' }).click()
    await page.locator(`tr[data-mapping="${CAPABILITIES}"]`).waitFor()
    return { page, ...watched }
  }

  async function openEditor(page: Page, name: string) {
    await page.getByRole('link', { name: `Edit ${name}` }).click()
    const form = page.getByRole('form', { name: `Edit mapping ${name}` })
    await form.waitFor()
    return form
  }

  /** waits until `condition` holds of the focused element (focus moves once the change is drawn) */
  async function focusOn(page: Page, condition: string) {
    await page.waitForFunction(condition, undefined, { timeout: 5000 })
  }

  /** saves the form, and waits for the hub to say it saved it as `version` */
  async function saved(form: Locator, version: number) {
    await form.getByRole('button', { name: 'Save' }).click()
    await form
      .getByRole('status')
      .filter({ hasText: `Saved as version ${version}` })
      .waitFor()
  }

  t.test("an admin changes a field mapping's direction and the mode, and the API has them", async (t) => {
    const before = await stored(CAPABILITIES)
    const { page, problems } = await mappingsScreen(t, browser, hub.adminToken)
    const form = await openEditor(page, CAPABILITIES)
    t.equal(await form.getByLabel('Name', { exact: true }).inputValue(), CAPABILITIES, 'the stored definition')
    await form.getByLabel('Mode', { exact: true }).selectOption('strict')
    const description = form.getByRole('group', { name: /^Field mapping 2\b/ })
    t.equal(await description.getByLabel('Source field', { exact: true }).inputValue(), 'description')
    await description.getByLabel('Direction', { exact: true }).selectOption('toSource')
    await saved(form, before.version + 1)

    const after = await stored(CAPABILITIES)
    t.equal(after.mode, 'strict', 'the mode is saved')
    t.match(after.definition.fields[1], { source: 'description', direction: 'toSource' }, 'the direction is saved')
    t.same(after.definition.fields.length, before.definition.fields.length, 'no field mapping is lost')
    t.same(problems, [], 'no console error or failed request')
  })

  t.test('a refused save shows each problem at its input and keeps the draft; the fix saves', async (t) => {
    const before = await stored(CAPABILITIES)
    const { page, problems, expectRefusal } = await mappingsScreen(t, browser, hub.adminToken)
    const form = await openEditor(page, CAPABILITIES)
    const first = form.getByRole('group', { name: /^Field mapping 1\b/ })
    const written = first.getByLabel('Target field', { exact: true })
    await written.fill('no_such_field')
    const query = form.getByRole('group', { name: 'Target', exact: true }).getByLabel('Constraint (encoded query)')
    await query.fill('name^x')
    const level = form.getByRole('group', { name: /^Field mapping 3\b/ })
    t.equal(await level.getByLabel('Type', { exact: true }).inputValue(), 'valueMap')
    const value = level.getByRole('group', { name: 'Value 1' }).getByLabel('Target value')
    await value.fill('one')
    expectRefusal(400, 'PUT', `/api/v1/mappings/${before.id}`)
    await form.getByRole('button', { name: 'Save' }).click()
    await form.getByRole('alert').waitFor()
    t.match(await form.getByRole('alert').textContent(), /CW_MAPPING_INVALID/, 'the hub code is shown')

    for (const [input, words] of [
      [written, /no_such_field/],
      [query, /encoded query is invalid/i],
      [value, /not a choice/],
    ] as const) {
      t.equal(await input.getAttribute('aria-invalid'), 'true', 'the input is marked invalid')
      const described = (await input.getAttribute('aria-describedby')) ?? ''
      const problem = page.locator(`[id="${described.split(' ').at(-1)}"]`)
      t.match(await problem.textContent(), words, 'its problem is next to it and describes it')
    }
    t.equal(await written.inputValue(), 'no_such_field', 'what was typed is kept')
    t.equal(await query.inputValue(), 'name^x', 'what was typed is kept')
    t.equal(await page.evaluate("document.activeElement?.getAttribute('aria-invalid')"), 'true', 'focus is on it')
    await first.evaluate((e) => e.scrollIntoView())
    await screenshot(page, 'editor')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: the editor with problems')
    t.equal((await stored(CAPABILITIES)).version, before.version, 'nothing was saved')

    await written.fill('name')
    await query.fill('operational_status=1')
    await value.fill('1.0')
    await saved(form, before.version + 1)
    t.equal(await form.locator('[aria-invalid="true"]').count(), 0, 'no problem is left shown')
    const after = await stored(CAPABILITIES)
    t.equal(after.definition.target.filter, 'operational_status=1', 'the constraint is saved')
    t.equal(after.definition.fields[0]?.target, 'name')
    t.same(after.definition.fields[2]?.values?.[0], { source: '1', target: '1.0' }, 'the value table is whole')
    t.same(problems, [], 'no console error or failed request but the one refusal')
  })

  t.test('a problem that names no input is shown at the top, one in folded settings unfolds them', async (t) => {
    const before = await stored(CAPABILITIES)
    const { page, problems, expectRefusal } = await mappingsScreen(t, browser, hub.adminToken)
    const form = await openEditor(page, CAPABILITIES)
    const cron = form.getByLabel('Full sync schedule (cron)')
    await cron.fill('61 * * * *')
    // a problem in the folded settings unfolds them
    const folded = form.getByText('Matching, deletion guard and events')
    await folded.click()
    const matched = form.getByRole('group', { name: 'Matching rule 1' }).getByLabel('Source fields')
    await matched.fill('name, no_such_field')
    await folded.click()
    t.notOk(await matched.isVisible(), 'folded again before the save')
    expectRefusal(400, 'PUT', `/api/v1/mappings/${before.id}`)
    await form.getByRole('button', { name: 'Save' }).click()
    const top = form.getByRole('alert')
    await top.locator('li').waitFor()
    t.match(await top.locator('li').textContent(), /^\/schedule not a valid cron schedule/, 'listed with its pointer')
    t.equal(await top.locator('li').count(), 1, 'only it')
    t.equal(await matched.getAttribute('aria-invalid'), 'true', "a list's item problem is at the list's input")
    t.ok(await matched.isVisible(), 'its settings are unfolded')
    t.equal(await page.evaluate('document.activeElement?.id'), await matched.getAttribute('id'), 'focus is on it')
    t.equal(await cron.inputValue(), '61 * * * *', 'what was typed is kept')
    await cron.fill('30 2 * * *')
    await matched.fill('name')
    await saved(form, before.version + 1)
    t.equal((await stored(CAPABILITIES)).definition.schedule?.cron, '30 2 * * *', 'the fixed schedule is saved')
    t.same(problems, [], 'no console error or failed request but the one refusal')
  })

  t.test('a save over a version someone saved meanwhile is refused, the draft kept', async (t) => {
    const before = await stored(CAPABILITIES)
    const { page, problems, expectRefusal } = await mappingsScreen(t, browser, hub.adminToken)
    const form = await openEditor(page, CAPABILITIES)
    const patched = await hub.inject({
      method: 'PATCH',
      url: `/api/v1/mappings/${before.id}`,
      payload: { description: 'changed elsewhere' },
    })
    t.equal(patched.statusCode, 200, 'someone else saves')
    await form.getByLabel('Description').fill('edited in the console')
    expectRefusal(409, 'PUT', `/api/v1/mappings/${before.id}`)
    await form.getByRole('button', { name: 'Save' }).click()
    t.match(await form.getByRole('alert').textContent(), /CW_MAPPING_VERSION_CONFLICT/)
    t.equal(await form.getByLabel('Description').inputValue(), 'edited in the console', 'what was typed is kept')
    const after = await stored(CAPABILITIES)
    t.equal(after.definition.description, 'changed elsewhere', 'the other save stands')
    t.same(problems, [], 'no console error or failed request but the one refusal')
  })

  t.test('leaving unsaved changes asks first: staying keeps the draft, leaving drops it', async (t) => {
    const before = await stored(CAPABILITIES)
    const { page, problems } = await mappingsScreen(t, browser, hub.adminToken)
    const nav = page.getByRole('navigation', { name: 'Screens' })
    const question = page.getByRole('dialog', { name: 'Leave without saving?' })
    let form = await openEditor(page, CAPABILITIES)
    await form.getByRole('link', { name: 'Back to mappings' }).click()
    await page.locator(`tr[data-mapping="${CAPABILITIES}"]`).waitFor()
    t.equal(await question.count(), 0, 'an untouched draft is left without a question')

    form = await openEditor(page, CAPABILITIES)
    const description = form.getByLabel('Description')
    await description.fill('typed, not saved')
    // the skip link moves focus to the screen; it does not change the address (it names screens)
    await page.getByRole('link', { name: 'Skip to content' }).focus()
    await page.keyboard.press('Enter')
    await focusOn(page, "document.activeElement?.id === 'main'")
    t.match(page.url(), `#/editor/${before.id}`, 'the skip link stays on the screen')
    t.equal(await question.count(), 0, 'and asks nothing')
    await nav.getByRole('link', { name: 'Runs' }).click()
    await question.waitFor()
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: the question')
    t.match(await question.textContent(), `Leaving now loses the changes to the mapping ${CAPABILITIES}`)
    await question.getByRole('button', { name: 'Cancel' }).click()
    await question.waitFor({ state: 'detached' })
    t.equal(await description.inputValue(), 'typed, not saved', 'staying keeps the draft')
    t.match(page.url(), `#/editor/${before.id}`, "the address is the editor's again")

    await page.getByRole('button', { name: 'Sign out' }).click()
    await question.waitFor()
    await question.getByRole('button', { name: 'Cancel' }).click()
    await question.waitFor({ state: 'detached' })
    t.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 1, 'signing out asks too; staying stays')

    await nav.getByRole('link', { name: 'Runs' }).click()
    await question.getByRole('button', { name: 'Leave without saving' }).click()
    await page.getByRole('heading', { name: 'Runs', exact: true }).waitFor()
    t.match(page.url(), /#\/runs$/, 'left for the screen clicked')
    t.equal((await stored(CAPABILITIES)).version, before.version, 'nothing was saved')

    await page.goBack()
    form = page.getByRole('form', { name: `Edit mapping ${CAPABILITIES}` })
    await form.waitFor()
    t.not(await form.getByLabel('Description').inputValue(), 'typed, not saved', 'the dropped draft is gone')
    await form.getByLabel('Description').fill('typed and saved')
    await saved(form, before.version + 1)
    await nav.getByRole('link', { name: 'Runs' }).click()
    await page.getByRole('heading', { name: 'Runs', exact: true }).waitFor()
    t.equal(await question.count(), 0, 'a saved draft is left without a question')
    t.same(problems, [], 'no console error or failed request')

    // closing the tab or reloading is the browser's own question
    await page.goBack()
    form = page.getByRole('form', { name: `Edit mapping ${CAPABILITIES}` })
    await form.getByLabel('Description').fill('typed again')
    const asked = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.type())
        void dialog.accept()
      })
    })
    await page.close({ runBeforeUnload: true })
    t.equal(await asked, 'beforeunload', 'the browser asks before the page goes')
  })

  t.test('an admin creates a mapping; a missing name is refused at its input first', async (t) => {
    const { page, problems, expectRefusal } = await mappingsScreen(t, browser, hub.adminToken)
    await page.getByRole('link', { name: 'New mapping' }).click()
    const form = page.getByRole('form', { name: 'New mapping' })
    const source = form.getByRole('group', { name: 'Source (the source of truth)' })
    await source.getByLabel('Connection', { exact: true }).selectOption(servicenow.id)
    // the connection's schema discovery suggests its tables, then the chosen one's fields
    await form.locator('#entities-source option[value="cmdb_ci_business_app"]').waitFor({ state: 'attached' })
    await source.getByLabel('Table', { exact: true }).fill('cmdb_ci_business_app')
    await form.locator('#fields-source option[value="short_description"]').waitFor({ state: 'attached' })
    const target = form.getByRole('group', { name: 'Target', exact: true })
    await target.getByLabel('Connection', { exact: true }).selectOption(leanix.id)
    await target.getByLabel('Fact sheet type', { exact: true }).fill('Application')
    await form.getByLabel('Mode', { exact: true }).selectOption('additive')
    await form.getByLabel('Full sync schedule (cron)').fill('')
    // the hub's defaults are shown as such; a list of names keeps its text as typed
    await form.getByText('Matching, deletion guard and events').click()
    const matchedBy = form.getByRole('group', { name: 'Matching rule 1' }).getByLabel('Target fields')
    t.equal(await matchedBy.inputValue(), 'name', 'the default matching rule')
    await matchedBy.fill('name, ')
    t.equal(await matchedBy.inputValue(), 'name, ', 'a trailing comma is kept while typing')
    await form.getByLabel('Changes that start a batch').fill('100')
    await form.getByRole('button', { name: 'Add field mapping' }).click()
    const field = form.getByRole('group', { name: /^Field mapping 1\b/ })
    await focusOn(page, "document.activeElement?.id === 'mapping-fields-0-type'")
    t.pass('focus moves into the added row')
    await field.getByLabel('Source field', { exact: true }).fill('name')
    await field.getByLabel('Target field', { exact: true }).fill('name')
    // a second row, removed again: the first stays as typed, focus goes to the add button
    await form.getByRole('button', { name: 'Add field mapping' }).click()
    await form
      .getByRole('group', { name: /^Field mapping 2\b/ })
      .getByLabel('Target field')
      .fill('description')
    await form.getByRole('button', { name: 'Remove Field mapping 2: description' }).click()
    t.equal(await form.getByRole('group', { name: /^Field mapping \d/ }).count(), 1, 'one field mapping is left')
    await focusOn(page, "document.activeElement?.textContent?.trim() === 'Add field mapping'")
    t.pass('focus is kept on the add button')

    expectRefusal(400, 'POST', '/api/v1/mappings')
    await form.getByRole('button', { name: 'Create' }).click()
    const name = form.getByLabel('Name', { exact: true })
    await form.locator('#mapping-name[aria-invalid="true"]').waitFor()
    t.equal(await form.locator('[aria-invalid="true"]').count(), 1, 'only the name has a problem')
    t.same(await seriousViolations(page), [], 'no serious accessibility violation: a new mapping with its problem')
    t.equal(await field.getByLabel('Source field', { exact: true }).inputValue(), 'name', 'the draft is kept')

    await name.fill('Editor: applications back')
    await form.getByRole('button', { name: 'Create' }).click()
    await page.locator('tr[data-mapping="Editor: applications back"]').waitFor()
    const created = await stored('Editor: applications back')
    t.equal(created.mode, 'additive')
    t.match(created.definition.fields, [{ type: 'field', source: 'name', target: 'name' }])
    t.equal(created.definition.schedule?.cron, null, 'an emptied schedule is none')
    t.same(created.definition.matching?.rules, [{ source: ['name'], target: ['name'] }], 'the matching rule')
    t.equal(created.definition.events?.batchSize, 100, 'the event settings')
    t.same(problems, [], 'no console error or failed request but the one refusal')
  })

  t.test('a viewer and an operator are offered no editor', async (t) => {
    for (const role of ['viewer', 'operator'] as const) {
      const { page, problems } = await mappingsScreen(t, browser, await hub.token(role, `editor ${role}`))
      t.equal(await page.getByRole('link', { name: 'New mapping' }).count(), 0, `${role}: no new mapping link`)
      t.equal(await page.getByRole('link', { name: /^Edit/ }).count(), 0, `${role}: no edit links`)
      // nor by the editor's address
      await page.evaluate(`location.hash = '#/editor/${(await stored(CAPABILITIES)).id}'`)
      await page.getByText('Only an admin edits mappings').waitFor()
      t.equal(await page.getByRole('form').count(), 0, `${role}: no editor form`)
      t.same(problems, [], 'no console error or failed request')
    }
  })
})
