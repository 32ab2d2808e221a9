// Writes the error catalogue into README.md (between the error-catalogue markers), read from
// every errors.ts in the tree (scripts/error-catalogue.ts), so the list cannot drift from the
// code. With --check it writes nothing and fails when the README is out of date.
import { loadCatalogue } from './error-catalogue.ts'
import { writeReadmeSection } from './readme-section.ts'

// Placeholders become an ellipsis; pipes and line breaks would break the table.
const cell = (text: string) =>
  text
    .replace(/%[sdjifoO]/g, '…')
    .replaceAll('|', '\\|')
    .replace(/\s+/g, ' ')

const entries = (await loadCatalogue()).sort((a, b) => a.code.localeCompare(b.code))
const table = [
  '| code | HTTP | retry | message | declared in |',
  '| --- | --- | --- | --- | --- |',
  ...entries.map(
    (e) => `| \`${e.code}\` | ${e.statusCode} | ${e.retryable ? 'yes' : ''} | ${cell(e.message)} | \`${e.file}\` |`,
  ),
].join('\n')

await writeReadmeSection({
  marker: 'error-catalogue',
  content: table,
  what: `error catalogue (${entries.length} codes)`,
  script: 'docs:errors',
})
