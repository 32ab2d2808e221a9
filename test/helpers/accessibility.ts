// axe-core's accessibility rules run in a page of the browser tests, as it is at that moment:
//
//   t.same(await seriousViolations(page), [], 'no serious accessibility violation')
//
// Only violations of serious or critical impact are returned, one line each (rule, impact, the
// elements), so a failing test says what to fix.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import type { AxeResults } from 'axe-core'

const require = createRequire(import.meta.url)
let axeSource: Promise<string> | undefined

export async function seriousViolations(page: Page): Promise<string[]> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8')
  // the console's CSP refuses inline scripts, so page.addScriptTag is blocked (and logged as a CSP
  // error); evaluated over the DevTools protocol, the source is not subject to the page's CSP
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(await axeSource)
  const results = await page.evaluate<AxeResults>('axe.run(document, { resultTypes: ["violations"] })')
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}, at ${violation.nodes.map((node) => node.target.join(' ')).join('; ')}`,
    )
}
