import { test } from 'tap'
import { ConnectorRegistry } from '../../../core/connector/registry.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'

test('connectors with typed settings register; names are unique; capabilities are checked', async (t) => {
  const registry = new ConnectorRegistry()
  registry.register(memoConnector('memo'))
  t.ok(registry.has('memo'))
  t.equal(registry.get('memo').title, 'In-memory test connector')
  t.same(
    registry.list().map((c) => c.name),
    ['memo'],
  )
  t.throws(() => registry.register(memoConnector('memo')), { code: 'CW_CONNECTOR_DUPLICATE' })
  t.throws(() => registry.get('nope'), { code: 'CW_CONNECTOR_NOT_FOUND', statusCode: 404 })
  t.equal(registry.require('memo', 'read').name, 'memo')
  t.throws(() => registry.require('memo', 'write'), { code: 'CW_CONNECTOR_CAPABILITY', message: /"write"/ })
})
