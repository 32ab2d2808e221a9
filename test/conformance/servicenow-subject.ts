// The ServiceNow connector as a subject of the conformance suite: each run starts its own small
// instance (35 Linux servers read in pages of 10), changes two of them as the admin for the delta
// and writes business applications. test/conformance/broken.test.ts breaks it on purpose.
import type { Connector } from '../../core/connector/contract.ts'
import type { ServiceNowSettings } from '../../connectors/servicenow/index.ts'
import type { ConformanceSubject } from './suite.ts'
import { smallServiceNow, type SmallInstance } from './servicenow-emulator.ts'

export function serviceNowSubject(connector: Connector<ServiceNowSettings>): ConformanceSubject<ServiceNowSettings> {
  let small: SmallInstance | undefined
  let servers: string[] = []
  return {
    connector,
    async emulator() {
      small = await smallServiceNow()
      const instance = small
      servers = Array.from({ length: 35 }, (_, i) => instance.insert('cmdb_ci_linux_server', { name: `server ${i}` }))
      return small.handle
    },
    read: { entity: 'cmdb_ci_linux_server', request: { fields: ['sys_id', 'name'] } },
    delta: {
      async change(_handle, conn) {
        if (!small) throw new Error('no instance')
        // as the admin: the hub's own writes are left out of its deltas
        const renamed = servers[7] as string
        small.sn.instance.data.update('cmdb_ci_linux_server', renamed, { name: 'server renamed' }, 'admin')
        const added = small.insert('cmdb_ci_linux_server', { name: 'server added' })
        // the client learns the instance's clock from its answers' Date headers: one after the changes
        // puts them before the end of the delta (otherwise a change in this very second may wait for the next)
        await connector.check(conn)
        return [renamed, added]
      },
    },
    write: {
      entity: 'cmdb_ci_business_app',
      create: (n) => ({ name: `conformance app ${n}` }),
      update: (n) => ({ name: `conformance app ${n} renamed` }),
      // a create is made safe by the engine through identityField (correlation_id), not by write
      idempotent: ['update'],
    },
  }
}
