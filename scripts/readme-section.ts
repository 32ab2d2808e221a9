// Writes generated text between two markers of README.md, or with --check only compares and
// fails when the README is out of date: the shared tail of the docs generators.
import { readFile, writeFile } from 'node:fs/promises'

const README = new URL('../README.md', import.meta.url)

export interface ReadmeSection {
  /** the marker names: `<!-- ${marker}:start -->` ... `<!-- ${marker}:end -->` */
  marker: string
  content: string
  /** what the section is, for messages: "configuration reference" */
  what: string
  /** the npm script that regenerates it */
  script: string
}

export async function writeReadmeSection(section: ReadmeSection, argv = process.argv): Promise<void> {
  const start = `<!-- ${section.marker}:start -->`
  const end = `<!-- ${section.marker}:end -->`
  const readme = await readFile(README, 'utf8')
  const from = readme.indexOf(start)
  const to = readme.indexOf(end)
  if (from < 0 || to < from) {
    process.stderr.write(`README.md lacks the ${start} / ${end} markers\n`)
    process.exit(1)
  }
  const next = `${readme.slice(0, from + start.length)}\n${section.content}\n${readme.slice(to)}`
  if (argv.includes('--check')) {
    if (next !== readme) {
      process.stderr.write(`README.md ${section.what} is out of date: run \`npm run ${section.script}\` and commit\n`)
      process.exit(1)
    }
    process.stdout.write(`README.md ${section.what} matches the code\n`)
  } else {
    await writeFile(README, next)
    process.stdout.write(`wrote the ${section.what} into README.md\n`)
  }
}
