// Acceptance: SailPoint's own TypeScript SDK (sailpoint-api-client 1.4.15), pointed at the hub,
// fetches a token from /oauth/token (multipart form), then lists, creates, patches and deletes
// service desk integrations and reads and writes the status-check configuration, unchanged.
import { test } from 'tap'
import {
  Configuration,
  ServiceDeskIntegrationApi,
  ServiceDeskIntegrationBetaApi,
  SIMIntegrationsBetaApi,
  Paginator,
} from 'sailpoint-api-client'
import { startHub } from './harness.ts'

test('sailpoint-api-client drives the hub', async (t) => {
  const hub = await startHub(t, { listen: true })
  const config = new Configuration({
    baseurl: hub.url,
    clientId: hub.admin.clientId,
    clientSecret: hub.admin.clientSecret,
    tokenUrl: `${hub.url}/oauth/token`,
  })
  const api = new ServiceDeskIntegrationApi(config)

  const created = await api.createServiceDeskIntegration({
    serviceDeskIntegrationDto: {
      name: 'SDK ServiceNow',
      description: 'made by sailpoint-api-client',
      type: 'ServiceNowSDIM',
      attributes: { url: 'https://acme.service-now.com', authType: 'Basic', username: 'svc', password: 'sdk-secret' },
      provisioningConfig: {
        managedResourceRefs: [{ type: 'SOURCE', id: '2c9180835d191a86015d28455b4a2329', name: 'Source 2' }],
      },
    },
  })
  t.equal(created.status, 200)
  const id = created.data.id ?? ''
  t.match(id, /^[0-9a-f]{32}$/)
  t.notOk('password' in (created.data.attributes ?? {}), 'secret not echoed')

  const list = await api.getServiceDeskIntegrations({
    limit: 10,
    sorters: 'name',
    filters: 'type eq "ServiceNowSDIM"',
    count: true,
  })
  t.equal(list.status, 200)
  t.same(
    list.data.map((d) => d.name),
    ['SDK ServiceNow'],
  )
  t.equal(list.headers['x-total-count'], '1')

  const paged = await Paginator.paginate(api, api.getServiceDeskIntegrations, { limit: 100 })
  t.equal(paged.data.length, 1, "the SDK's paginator walks the list")

  const patched = await api.patchServiceDeskIntegration({
    id,
    patchServiceDeskIntegrationRequest: {
      operations: [{ op: 'replace', path: '/description', value: 'patched by the SDK' }],
    },
  })
  t.equal(patched.data.description, 'patched by the SDK')
  const got = await api.getServiceDeskIntegration({ id })
  t.equal(got.data.description, 'patched by the SDK')

  const status = await api.updateStatusCheckDetails({
    queuedCheckConfigDetails: { provisioningStatusCheckIntervalMinutes: '15', provisioningMaxStatusCheckDays: '3' },
  })
  t.same(status.data, { provisioningStatusCheckIntervalMinutes: '15', provisioningMaxStatusCheckDays: '3' })
  const read = await api.getStatusCheckDetails()
  t.same(read.data, { provisioningStatusCheckIntervalMinutes: '15', provisioningMaxStatusCheckDays: '3' })

  const types = await new ServiceDeskIntegrationBetaApi(config).getServiceDeskIntegrationTypes()
  t.ok(types.data.length > 0, 'beta types')
  const template = await api.getServiceDeskIntegrationTemplate({ scriptName: types.data[0]?.scriptName ?? '' })
  t.equal(template.status, 200)

  const sim = new SIMIntegrationsBetaApi(config)
  const simCreated = await sim.createSIMIntegration({
    simIntegrationDetailsBeta: {
      name: 'SDK SIM',
      description: 'SIM via SDK',
      type: 'ServiceNow Service Desk',
      sources: ['2c5680835d191a85765d28455b4a9823'],
      cluster: 'xyzzy999',
      statusMap: { closed_complete: 'Committed', requested: 'Queued' },
      request: { short_description: 'SailPoint Access Request $!plan.arguments.identityRequestId' },
      attributes: {},
    },
  })
  t.equal(simCreated.status, 200)
  await sim.deleteSIMIntegration({ id: (simCreated.data as { id?: string }).id ?? '' })

  const deleted = await api.deleteServiceDeskIntegration({ id })
  t.equal(deleted.status, 204)
  const after = await api.getServiceDeskIntegrations({})
  t.same(after.data, [], 'gone')
  const missing = await api
    .getServiceDeskIntegration({ id })
    .catch((error: { response?: { status: number; data: unknown } }) => error.response)
  t.equal(missing?.status, 404)
  t.match(missing?.data, { detailCode: '404 Not found', messages: [{ text: /No service desk integration/ }] })
})
