// A real headless Chromium for the console's browser tests: Debian's `chromium` package (.ci/run
// installs it), driven by playwright-core. Outside CI a machine without it skips those tests and
// says why; in CI (CI set) a missing browser fails them.
//
//   const skip = chromiumMissing()            // false, or why the tests are skipped
//   const browser = await launchChromium(t)   // closed by t.teardown
//   const watch = watchPage(page, origin)     // console errors, failed and foreign requests
import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's package puts it here; CROSSWALK_CHROMIUM names another. */
export const CHROMIUM = process.env.CROSSWALK_CHROMIUM ?? '/usr/bin/chromium'

/** false when Chromium is there; outside CI, why the browser tests are skipped; in CI it throws. */
export function chromiumMissing(): false | string {
  if (existsSync(CHROMIUM)) return false
  const why = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CROSSWALK_CHROMIUM)`
  if (process.env.CI) throw new Error(`${why}: .ci/run installs it, and CI runs the browser tests`)
  return `${why}; the browser tests run in CI`
}

export async function launchChromium(t: { teardown(fn: () => unknown): void }): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // CI runs as root, where Chromium's sandbox cannot start
    args: ['--no-sandbox'],
  })
  t.teardown(() => browser.close())
  return browser
}

/**
 * Everything that went wrong on `page` that its test did not ask for: console errors, uncaught
 * exceptions, requests that failed or were answered 4xx/5xx, and any request to another origin
 * than `origin` (the console makes none).
 */
export function watchPage(page: Page, origin: string): { problems: string[] } {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} ${message.location().url}`)
  })
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.protocol !== 'data:' && url.host !== new URL(origin).host)
      problems.push(`foreign request: ${request.url()}`)
  })
  page.on('requestfailed', (request) =>
    problems.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`),
  )
  page.on('response', (response) => {
    if (response.status() >= 400) {
      problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`)
    }
  })
  return { problems }
}
