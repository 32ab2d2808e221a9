// No loss past the 15 000-edge cap (docs/reference/leanix.md §3.1, §10.1), against the emulator with more than
// 15 000 fact sheets of one type: the read is partitioned and returns every one exactly once.
import { test } from 'tap'
import { startLeanixEmulator } from '../../../connectors/leanix/emulator/index.ts'
import { createLeanixConnector } from '../../../connectors/leanix/connector.ts'
import { RESULT_CAP } from '../../../connectors/leanix/client/paging.ts'
import { addApplications } from './bulk-workspace.ts'
import type { ConnectionContext } from '../../../core/connector/contract.ts'
import type { LeanixSettings } from '../../../connectors/leanix/settings.ts'

const logger = { debug() {}, info() {}, warn() {}, error() {} }

test('more than 15 000 Applications are read completely, none twice', async (t) => {
  const emu = await startLeanixEmulator({ seed: { seed: 3, factSheets: 400 } })
  t.teardown(() => emu.close())
  addApplications(emu, 15_600)
  const expected = [...emu.runtime.store.factSheets.values()].filter(
    (fs) => fs.type === 'Application' && fs.status === 'ACTIVE',
  ).length
  t.ok(expected > RESULT_CAP, `${expected} Applications, above the cap`)
  const connector = createLeanixConnector()
  t.teardown(() => connector.close())
  const conn: ConnectionContext<LeanixSettings> = {
    id: 'big',
    name: 'big',
    settings: { instanceUrl: emu.url, allowHttp: true, pageSize: 5000 } as LeanixSettings,
    secrets: { apiToken: emu.apiToken },
    logger,
  }

  const ids = new Set<string>()
  let records = 0
  for await (const page of connector.read!(conn, 'Application', {
    fields: ['name', 'businessCriticality', 'lifecycle', 'externalId'],
  })) {
    records += page.records.length
    for (const r of page.records) {
      ids.add(r.id)
      if (r.type !== 'Application') t.fail(`read a ${String(r.type)}`)
    }
  }
  const slices = connector.clientFor(conn).reader.stats.slices
  t.ok(slices > 1, `partitioned into ${slices} slices`)
  t.equal(records, expected, 'as many records as LeanIX holds')
  t.equal(ids.size, expected, 'each one once')
  const truth = [...emu.runtime.store.factSheets.values()].filter(
    (fs) => fs.type === 'Application' && fs.status === 'ACTIVE',
  )
  t.ok(
    truth.every((fs) => ids.has(fs.id)),
    'every Application of the workspace was read',
  )
})
