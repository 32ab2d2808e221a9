import { test } from 'tap'
import { requiredAccess } from '../../../core/auth/route-policy.ts'

const open = { publicHealth: true, publicMetrics: true, publicDocs: true }
const closed = { publicHealth: false, publicMetrics: false, publicDocs: false }

test('closed by default: no declaration means admin', async (t) => {
  t.same(requiredAccess({ url: '/api/v1/anything', config: {} }, open), { public: false, role: 'admin' })
  t.same(requiredAccess({ url: '/api/v1/anything', config: undefined }, open), { public: false, role: 'admin' })
  t.same(requiredAccess({ url: '/api/v1/runs', config: { role: 'operator' } }, open), {
    public: false,
    role: 'operator',
  })
  t.same(requiredAccess({ url: undefined, config: {} }, open), { public: false, role: 'viewer' }, 'not found')
})

test('declared public routes, and the library routes placed by path following the settings', async (t) => {
  t.same(requiredAccess({ url: '/health/live', config: { public: true, role: 'viewer' } }, open), { public: true })
  t.same(requiredAccess({ url: '/docs/json', config: {} }, open), { public: true })
  t.same(requiredAccess({ url: '/docs/json', config: {} }, closed), { public: false, role: 'viewer' })
  t.same(requiredAccess({ url: '/graphiql', config: { public: true } }, closed), { public: false, role: 'viewer' })
  t.same(requiredAccess({ url: '/metrics', config: {} }, open), { public: true })
  t.same(requiredAccess({ url: '/metrics', config: { public: true } }, closed), { public: false, role: 'viewer' })
  t.same(requiredAccess({ url: '/graphql', config: {} }, open), { public: false, role: 'viewer' })
  t.same(
    requiredAccess({ url: '/docsearch', config: {} }, open),
    { public: false, role: 'admin' },
    'prefix, not substring',
  )
})
