// Benchmark of the client under a server-imposed pause (run by hand:
// `npx node test/bench/servicenow-rate-limit.ts`; issue 16, client point 1).
//
// The emulator enforces a rate-limit rule on cmdb_rel_ci (ServiceNow's sys_rate_limit_rules:
// N requests per window and user, then 429 with Retry-After until the window ends). The client
// reads 50,000 rows in 4 sys_id partitions, then in one. For each window in which the server
// refused a request, the first refusal starts the pause; every later request of that window
// arrived inside it. Some were already on their way when the first refusal went out (at most one
// per other partition); the others were sent after the client had the 429, which a pause shared
// by the connection avoids.
// The reader spends --consume ms on each page (as the sync engine does mapping and writing it),
// so partitions are not always waiting for an answer: a partition that sends its next page while
// another one's pause is on is what sharing the pause removes.
// Options: --rows N (default 50000), --page N (default 500), --limit N (requests per window,
// default 10), --window S (seconds, default 1), --consume MS (default 20).
import { setTimeout as sleep } from 'node:timers/promises'
import { ServiceNowClient } from '../../connectors/servicenow/client/client.ts'
import { startServiceNowEmulator } from '../../connectors/servicenow/emulator/index.ts'

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? Number(process.argv[at + 1]) : fallback
}

interface Decision {
  window: number
  refused: boolean
}

async function main(): Promise<void> {
  const rows = arg('rows', 50_000)
  const pageSize = arg('page', 500)
  const limit = arg('limit', 10)
  const windowSeconds = arg('window', 1)
  const consumeMs = arg('consume', 20)
  const emu = await startServiceNowEmulator({ seed: { relations: rows, seed: 1 } })
  const limiter = emu.instance.rateLimits
  const decisions: Decision[] = []
  const check = limiter.check.bind(limiter)
  limiter.check = (user, method, path) => {
    const decision = check(user, method, path)
    if (path.startsWith('/api/now/table/cmdb_rel_ci')) {
      decisions.push({ window: Math.floor(Date.now() / (windowSeconds * 1000)), refused: !!decision.rejected })
    }
    return decision
  }
  const total = emu.instance.data.count('cmdb_rel_ci')
  console.log(
    `emulator ${emu.url}: ${total} cmdb_rel_ci rows; rule ${limit} requests per ${windowSeconds} s; ${consumeMs} ms per page`,
  )
  try {
    for (const partitions of [4, 1]) {
      limiter.clear()
      limiter.add({ allUsers: true, limit, windowSeconds, pathPrefix: '/api/now/table/cmdb_rel_ci' })
      decisions.length = 0
      const client = new ServiceNowClient({
        instanceUrl: emu.url,
        allowHttp: true,
        auth: { kind: 'basic', username: 'admin', password: 'admin' },
        concurrency: 4,
        pageSize,
        backoff: { maxAttempts: 20, baseMs: 250, capMs: 60_000 },
      })
      const started = performance.now()
      let read = 0
      for await (const page of client.readTable('cmdb_rel_ci', { fields: ['parent', 'child'], partitions })) {
        read += page.records.length
        if (consumeMs > 0) await sleep(consumeMs)
      }
      const ms = performance.now() - started
      await client.close()
      const first = new Set<number>()
      let inPause = 0
      for (const d of decisions) {
        if (!d.refused) continue
        if (first.has(d.window)) inPause++
        else first.add(d.window)
      }
      console.log(
        `${partitions} partition(s): ${read} rows in ${(ms / 1000).toFixed(1)} s, ${decisions.length} requests, ` +
          `${first.size} pauses; ${inPause} requests arrived inside a pause`,
      )
    }
  } finally {
    await emu.close()
  }
}

await main()
