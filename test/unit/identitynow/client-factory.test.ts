// The ServiceNow client of a SIM integration (issue 11, point 1): an integration changed to
// something refused answers a clear error every time, not a ClientDestroyedError from a client
// closed before its replacement failed to build, and works again once it is fixed.
import { test } from 'tap'
import { ClientFactory } from '../../../connectors/identitynow/tickets/client-factory.ts'
import type { ServiceDeskIntegrationDto } from '../../../connectors/identitynow/integrations/model.ts'
import { json, startStub } from '../servicenow-client/stub-server.ts'

function integration(attributes: Record<string, unknown>, modified: string): ServiceDeskIntegrationDto {
  return {
    id: 'int-1',
    name: 'ServiceNow desk',
    created: '2026-01-01T00:00:00Z',
    modified,
    description: '',
    type: 'ServiceNowSDIM',
    attributes: { authType: 'Basic', username: 'u', ...attributes },
  }
}

test('an integration patched to a refused URL fails clearly each time, and recovers when fixed', async (t) => {
  const instance = await startStub((_req, res) => json(res, 200, { result: { sys_id: 'a'.repeat(32) } }))
  t.teardown(() => instance.close())
  const factory = new ClientFactory(async () => ({ password: 'p' }))
  t.teardown(() => factory.close())
  const read = (dto: ServiceDeskIntegrationDto) =>
    factory.withClient(dto, (client) => client.getRecord('sc_req_item', 'a'.repeat(32)))

  t.match(await read(integration({ url: instance.url }, 'v1')), { sys_id: 'a'.repeat(32) })
  for (const attempt of ['first', 'second']) {
    await t.rejects(
      read(integration({ url: 'not a url' }, 'v2')),
      { code: 'CW_IDN_TICKET_CONFIG_MISSING', message: /attributes\.url is not a URL/ },
      `the ${attempt} call after the change`,
    )
  }
  const remote = integration({ url: 'http://servicenow.example.test' }, 'v3')
  await t.rejects(read(remote), { code: 'CW_SN_INSECURE_URL' }, 'plain http to a remote host is refused')
  await t.rejects(read(remote), { code: 'CW_SN_INSECURE_URL' }, 'every time')
  t.match(await read(integration({ url: instance.url }, 'v4')), { sys_id: 'a'.repeat(32) }, 'fixed: it works again')
})
