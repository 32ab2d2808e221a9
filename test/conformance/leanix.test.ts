// The LeanIX connector against the connector conformance suite (test/conformance/suite.ts), on a
// small seeded workspace: Applications read in pages of 5, written, and changed for a delta.
import t from 'tap'
import { createLeanixConnector } from '../../connectors/leanix/connector.ts'
import { startLeanixEmulator } from '../../connectors/leanix/emulator/index.ts'
import { conformance } from './suite.ts'

t.setTimeout(120_000)

const connector = createLeanixConnector()
t.teardown(() => connector.close())
const lx = await startLeanixEmulator({ seed: { seed: 7, factSheets: 80 } })

await conformance(t, {
  connector,
  emulator: async () => ({
    url: lx.url,
    connectionSettings: { instanceUrl: lx.url, allowHttp: true, apiToken: lx.apiToken, pageSize: 5 },
    credentials: { apiToken: lx.apiToken },
    people: [],
    close: () => lx.close(),
  }),
  read: { entity: 'Application', request: { fields: ['id', 'name'] } },
  delta: {
    async change(_handle, conn) {
      // LeanIX deltas hold the hub's own writes too: the connection itself changes the records
      const [created] = await connector.write!(conn, 'Application', [
        { op: 'create', key: 'new', values: { name: 'Conformance added' } },
      ])
      if (!created?.id) throw new Error(`the create for the delta failed: ${JSON.stringify(created)}`)
      return [created.id]
    },
  },
  write: {
    entity: 'Application',
    create: (n) => ({ name: `Conformance app ${n}` }),
    update: (n) => ({ description: `Conformance app ${n}, described` }),
    idempotent: ['update', 'delete'],
  },
})
