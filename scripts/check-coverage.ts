// Coverage floor: fails when the suite's coverage drops below the floor in package.json
// ("crosswalk.coverageFloor"). The floor only goes up: raise it when coverage rises.
import { readFile } from 'node:fs/promises'

interface Totals {
  lines: { pct: number }
  statements: { pct: number }
  functions: { pct: number }
  branches: { pct: number }
}

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
  crosswalk?: { coverageFloor?: Partial<Record<keyof Totals, number>> }
}
const floor = pkg.crosswalk?.coverageFloor ?? {}
const summaryPath = new URL('../.tap/report/coverage-summary.json', import.meta.url)
let totals: Totals
try {
  totals = (JSON.parse(await readFile(summaryPath, 'utf8')) as { total: Totals }).total
} catch {
  process.stderr.write('no coverage summary at .tap/report/coverage-summary.json: run the suite first\n')
  process.exit(1)
}
const failures: string[] = []
for (const [metric, minimum] of Object.entries(floor) as Array<[keyof Totals, number]>) {
  const actual = totals[metric].pct
  const line = `${metric}: ${actual.toFixed(2)}% (floor ${minimum}%)`
  process.stdout.write(`coverage ${line}\n`)
  if (actual < minimum) failures.push(line)
}
if (failures.length > 0) {
  process.stderr.write(`coverage fell below the floor: ${failures.join('; ')}\n`)
  process.exit(1)
}
