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
 * than `origin` (the console makes none). A refusal the test provokes on purpose is announced
 * first with `expectRefusal(status, method, path)`, and then not counted, once.
 */
export function watchPage(
  page: Page,
  origin: string,
): { problems: string[]; expectRefusal(status: number, method: string, path: string): void } {
  const problems: string[] = []
  const expected: Array<{ status: number; method: string; url: string; seen: { answer: boolean; log: boolean } }> = []
  const expectedAnswer = (status: number, method: string, url: string) => {
    const match = expected.find((e) => !e.seen.answer && e.status === status && e.method === method && e.url === url)
    if (match) match.seen.answer = true
    return match !== undefined
  }
  // Chromium logs every refused fetch as a console error naming the status and the URL
  const expectedLog = (text: string, url: string) => {
    const match = expected.find((e) => !e.seen.log && e.url === url && text.includes(`status of ${e.status}`))
    if (match) match.seen.log = true
    return match !== undefined
  }
  page.on('console', (message) => {
    if (message.type() !== 'error' || expectedLog(message.text(), message.location().url)) return
    // axe-core (test/helpers/accessibility.ts), evaluated by the test with no script URL, sets
    // inline styles as it measures, and the page's CSP refuses them: the CSP at work on the test's
    // own tool. The console's scripts all have a URL, so an inline style of theirs still counts.
    if (!message.location().url && message.text().startsWith('Applying inline style violates')) return
    problems.push(`console error: ${message.text()} ${message.location().url}`)
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
    const method = response.request().method()
    if (response.status() >= 400 && !expectedAnswer(response.status(), method, response.url())) {
      problems.push(`HTTP ${response.status()}: ${method} ${response.url()}`)
    }
  })
  return {
    problems,
    expectRefusal(status, method, path) {
      expected.push({ status, method, url: new URL(path, origin).href, seen: { answer: false, log: false } })
    },
  }
}
