// A small ServiceNow emulator for the conformance tests: no seed, a hub user the connection acts
// as, and the admin who changes records behind the hub's back (deltas leave the hub's own writes out).
// Rows are stamped a second behind the Date header (a transaction stamped when it starts, committed
// a second later), so that a change made now is past the one-second safety lag of a delta without
// waiting for it, as in test/integration/servicenow-client/emulator.test.ts.
import type { EmulatorHandle } from '../../core/connector/contract.ts'
import { startServiceNowEmulator, type RunningEmulator } from '../../connectors/servicenow/emulator/index.ts'

const HUB_USER = 'conformance.hub'

export interface SmallInstance {
  sn: RunningEmulator
  handle: EmulatorHandle
  /** inserts a row as the admin; its sys_id */
  insert(table: string, values: Record<string, string>): string
}

export async function smallServiceNow(): Promise<SmallInstance> {
  const password = `sn-conformance-${process.pid}-secret`
  const sn = await startServiceNowEmulator({
    now: () => new Date(Date.now() - 1000),
    adminPassword: password,
    users: [{ userName: HUB_USER, password, roles: ['admin'], email: 'conformance.hub@example.com' }],
  })
  const data = sn.instance.data
  return {
    sn,
    insert: (table, values) => data.value(data.insert(table, values, 'admin'), 'sys_id'),
    handle: {
      url: sn.url,
      connectionSettings: {
        instanceUrl: sn.url,
        allowHttp: true,
        authKind: 'basic',
        username: HUB_USER,
        password,
        pageSize: 10,
        // a change made a moment ago is in the next delta, not held back for a minute
        deltaSafetyLagSeconds: 1,
      },
      credentials: { username: 'admin', password },
      people: [],
      close: () => sn.close(),
    },
  }
}
