// LeanIX's custom report library (npm @leanix/reporting 0.4.136, unmodified) reading the
// emulator's enriched data model with its own helpers: `lx.dataModelHelpers.getRelationDefinition()`
// follows `relationMapping[name].persistedName` into `relations`, `isConstrainingRelation()` reads
// `constrainingRelations`. The library expects a browser window (it talks to the LeanIX UI through
// postMessage); a bare window/document stand-in is enough for its data model helpers.
import { createRequire } from 'node:module'
import { test } from 'tap'
import { exchangeToken, startForTest } from './emulator-client.ts'

interface DataModelHelpers {
  getRelationDefinition(model: unknown, relationName: string): { from: { name: string }; to: { name: string } } | null
  isConstrainingRelation(model: unknown, relationName: string): boolean
}

function loadReportingLibrary(): { dataModelHelpers: DataModelHelpers } {
  const listeners = { addEventListener: () => undefined }
  const scope = globalThis as Record<string, unknown>
  scope.window = { ...listeners, parent: { postMessage: () => undefined } }
  scope.document = { ...listeners }
  createRequire(import.meta.url)('@leanix/reporting')
  const lx = (scope.window as { lx: { dataModelHelpers: DataModelHelpers } }).lx
  delete scope.window
  delete scope.document
  return lx
}

test('@leanix/reporting resolves relations and constraining relations in the enriched data model', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  const token = await exchangeToken(emulator.url, emulator.apiToken)
  const answer = await fetch(`${emulator.url}/services/pathfinder/v1/models/dataModel/enriched`, {
    headers: { authorization: `Bearer ${token}` },
  })
  const enriched = ((await answer.json()) as { data: unknown }).data
  const lx = loadReportingLibrary()
  const inverse = lx.dataModelHelpers.getRelationDefinition(enriched, 'relITComponentToApplication')
  t.match(inverse, { from: { name: 'relApplicationToITComponent' }, to: { name: 'relITComponentToApplication' } })
  t.equal(lx.dataModelHelpers.isConstrainingRelation(enriched, 'relApplicationToBusinessCapability'), true)
  t.equal(lx.dataModelHelpers.isConstrainingRelation(enriched, 'relApplicationToITComponent'), false)
})
