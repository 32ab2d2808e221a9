// The Example connector against the connector conformance suite (test/conformance/suite.ts), on
// its own emulator: items read in pages of 10, written, and changed through the connection for a delta.
import t from 'tap'
import { createExampleConnector } from '../../connectors/example/connector.ts'
import { conformance } from './suite.ts'

t.setTimeout(60_000)

const connector = createExampleConnector()
t.teardown(() => connector.close())

await conformance(t, {
  connector,
  read: { entity: 'items', request: { fields: ['name', 'quantity'] } },
  delta: {
    async change(_handle, conn) {
      const results = await connector.write(conn, 'items', [{ op: 'create', key: 'new', values: { name: 'New item' } }])
      return results.flatMap((r) => (r.id ? [r.id] : []))
    },
  },
  write: {
    entity: 'items',
    create: (n) => ({ name: `Item made ${n}`, quantity: n }),
    update: (n) => ({ quantity: n * 10 }),
    idempotent: ['update', 'delete'],
  },
})
