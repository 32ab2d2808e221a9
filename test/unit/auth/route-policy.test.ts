import { test } from 'tap'
import { requiredAccess } from '../../../core/auth/route-policy.ts'
import { HUB_TOKEN } from '../../../core/auth/principal.ts'

const HUB_ONLY = [HUB_TOKEN]

test('closed by default: no declaration means admin, hub tokens only', async (t) => {
  t.same(requiredAccess({ url: '/api/v1/anything', config: {} }), { public: false, role: 'admin', accepts: HUB_ONLY })
  t.same(requiredAccess({ url: '/api/v1/anything', config: undefined }), {
    public: false,
    role: 'admin',
    accepts: HUB_ONLY,
  })
  t.same(requiredAccess({ url: '/api/v1/runs', config: { role: 'operator' } }), {
    public: false,
    role: 'operator',
    accepts: HUB_ONLY,
  })
  t.same(
    requiredAccess({ url: undefined, config: {} }),
    { public: false, role: 'viewer', accepts: HUB_ONLY },
    'not found',
  )
})

test('only the declaration counts, never the path', async (t) => {
  t.same(requiredAccess({ url: '/health/live', config: { public: true, role: 'viewer' } }), { public: true })
  t.same(requiredAccess({ url: '/docs/json', config: {} }), { public: false, role: 'admin', accepts: HUB_ONLY })
  t.same(requiredAccess({ url: '/metrics', config: { public: false, role: 'viewer' } }), {
    public: false,
    role: 'viewer',
    accepts: HUB_ONLY,
  })
  t.same(requiredAccess({ url: '/graphql', config: {} }), { public: false, role: 'admin', accepts: HUB_ONLY })
  t.same(
    requiredAccess({ url: '/oauth/token', config: {} }),
    { public: false, role: 'admin', accepts: HUB_ONLY },
    'a module URL is nothing special',
  )
})

test('a route takes other kinds of principal only when it names them', async (t) => {
  t.same(requiredAccess({ url: '/v3/anything', config: { role: 'operator', accepts: [HUB_TOKEN, 'api-client'] } }), {
    public: false,
    role: 'operator',
    accepts: [HUB_TOKEN, 'api-client'],
  })
})
