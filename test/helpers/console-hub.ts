// What the browser tests share around the hub they drive: the hub on a port (a browser needs one),
// signing in to the console, and the README's screenshots.
//
//   const origin = await listenOnPort(hub)
//   const { page, problems } = await signedIn(t, browser, origin, token)   // on Connections
//   await screenshot(page, 'runs')                           // only with CROSSWALK_SCREENSHOTS
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { TestApp } from './app.ts'
import { watchPage } from './browser.ts'

/** the hub listening on a free loopback port; its origin */
export async function listenOnPort(hub: TestApp): Promise<string> {
  await hub.app.listen({ host: '127.0.0.1', port: 0 })
  const address = hub.app.server.address()
  if (!address || typeof address === 'string') throw new Error('the hub listens on no port')
  return `http://127.0.0.1:${address.port}`
}

/**
 * A fresh page (1280 x 800) of the console at `origin`, watched for problems from its first
 * request (watchPage), signed in with `token` and on the Connections screen; closed by t.teardown.
 * `csp` is the Content-Security-Policy the console page was answered with.
 */
export async function signedIn(
  t: { teardown(fn: () => unknown): void },
  browser: Browser,
  origin: string,
  token: string,
): Promise<{ page: Page; csp: string | undefined } & ReturnType<typeof watchPage>> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const watched = watchPage(page, origin)
  const answer = await page.goto(`${origin}/console`)
  await page.getByLabel('Bearer token').waitFor()
  await screenshot(page, 'sign-in')
  await page.getByLabel('Bearer token').fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Connections' }).waitFor()
  return { page, csp: answer?.headers()['content-security-policy'], ...watched }
}

/** the README's screenshots: CROSSWALK_SCREENSHOTS=docs/console npx tap test/integration/console/ */
export async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.CROSSWALK_SCREENSHOTS
  if (folder) await page.screenshot({ path: join(folder, `${name}.png`) })
}
