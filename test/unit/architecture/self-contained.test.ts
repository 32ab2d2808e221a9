// The repository stands on its own: no source, test or document points at a path outside it
// (a shared folder of the machine it was written on), and every citation of the reference notes
// (`docs/reference/<system>.md §N`) names a file and a section that exist here. Checked over every
// tracked file, so later ones are covered too.
import { test } from 'tap'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const SELF = 'test/unit/architecture/self-contained.test.ts'

function tracked(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root })
  return out
    .toString('utf8')
    .split('\n')
    .filter((f) => /\.(ts|js|md|json|yaml|yml|sql)$/.test(f) && f !== SELF && !f.startsWith('node_modules/'))
}

function sectionsOf(file: string): Set<string> {
  const headings = readFileSync(join(root, file), 'utf8').matchAll(/^#{2,3} (\d+)\./gm)
  return new Set([...headings].map((m) => m[1]!))
}

test('no file cites a path outside the repository', async (t) => {
  const files = tracked()
  t.ok(files.length > 300, `read ${files.length} files`)
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8')
    t.notMatch(text, /\/work\/(shared|main|wt)\b/, `${file}: no machine path`)
    // "reference §3.1" without a file leaves the reader to guess which notes were meant
    t.notMatch(text, /(?<![\w/.])reference §\d/, `${file}: reference citations name their file`)
  }
})

test('every citation of the reference notes resolves to a section here', async (t) => {
  const sections = new Map<string, Set<string>>()
  let citations = 0
  for (const file of tracked()) {
    const text = readFileSync(join(root, file), 'utf8')
    for (const match of text.matchAll(/docs\/reference\/([\w-]+\.md)((?:[ ,;/–-]*§\d+(?:\.\d+)?(?:-\d+)?)*)/g)) {
      const notes = `docs/reference/${match[1]}`
      t.ok(existsSync(join(root, notes)), `${file}: ${notes} exists`)
      if (!existsSync(join(root, notes))) continue
      if (!sections.has(notes)) sections.set(notes, sectionsOf(notes))
      for (const cited of match[2]!.matchAll(/§(\d+)/g)) {
        citations += 1
        t.ok(sections.get(notes)!.has(cited[1]!), `${file}: ${notes} has a section ${cited[1]}`)
      }
    }
  }
  t.ok(citations > 50, `${citations} section citations checked`)
})
