import { test } from 'tap'
import { requiredAccess } from '../../../core/auth/route-policy.ts'

test('closed by default: no declaration means admin', async (t) => {
  t.same(requiredAccess({ url: '/api/v1/anything', config: {} }), { public: false, role: 'admin' })
  t.same(requiredAccess({ url: '/api/v1/anything', config: undefined }), { public: false, role: 'admin' })
  t.same(requiredAccess({ url: '/api/v1/runs', config: { role: 'operator' } }), { public: false, role: 'operator' })
  t.same(requiredAccess({ url: undefined, config: {} }), { public: false, role: 'viewer' }, 'not found')
})

test('only the declaration counts, never the path', async (t) => {
  t.same(requiredAccess({ url: '/health/live', config: { public: true, role: 'viewer' } }), { public: true })
  t.same(requiredAccess({ url: '/docs/json', config: {} }), { public: false, role: 'admin' }, 'no path is special')
  t.same(requiredAccess({ url: '/metrics', config: { public: false, role: 'viewer' } }), {
    public: false,
    role: 'viewer',
  })
  t.same(requiredAccess({ url: '/graphql', config: {} }), { public: false, role: 'admin' })
})
