// Benchmark, run by hand: `npx node test/bench/leanix-read-write.ts [factSheets] [updates]`.
// Reads every fact sheet of a seeded emulated workspace (default 50 000) type by type through
// the connector, then updates 5 000 Applications through it, and reports fact sheets per
// second, requests made and the peak RSS of this process. The emulator runs in a child process
// so that the RSS is the connector's own.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Change, ConnectionContext } from '../../core/connector/contract.ts'
import { createLeanixConnector } from '../../connectors/leanix/connector.ts'
import type { LeanixSettings } from '../../connectors/leanix/settings.ts'

const FACT_SHEETS = Number(process.argv[2] ?? 50_000)
const UPDATES = Number(process.argv[3] ?? 5_000)

if (process.argv.includes('--emulator')) {
  const { startLeanixEmulator } = await import('../../connectors/leanix/emulator/index.ts')
  const emu = await startLeanixEmulator({ seed: { seed: 42, factSheets: FACT_SHEETS } })
  process.stdout.write(`${JSON.stringify({ url: emu.url, apiToken: emu.apiToken, seed: emu.seed })}\n`)
  process.stdin.resume()
  process.stdin.on('end', () => void emu.close().then(() => process.exit(0)))
} else {
  await main()
}

async function main(): Promise<void> {
  const started = Date.now()
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), String(FACT_SHEETS), String(UPDATES), '--emulator'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)))
  })
  const emu = JSON.parse(first) as {
    url: string
    apiToken: string
    seed: { factSheets: number; byType: Record<string, number> }
  }
  console.log(
    `emulator seeded with ${emu.seed.factSheets} fact sheets in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  )

  let peakRss = process.memoryUsage().rss
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }, 20)
  const connector = createLeanixConnector()
  const conn: ConnectionContext<LeanixSettings> = {
    id: 'bench',
    name: 'bench',
    settings: { instanceUrl: emu.url, allowHttp: true } as LeanixSettings,
    secrets: { apiToken: emu.apiToken },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  }
  const client = connector.clientFor(conn)
  const settings = { pageSize: 1000, batchSize: 25, requestsPerMinute: 1500 }
  console.log(`settings: ${JSON.stringify(settings)} (the defaults)`)

  // read
  const entities = await connector.discover!(conn)
  const types = entities.map((e) => e.name)
  const wanted = ['name', 'description', 'lifecycle', 'externalId']
  const fieldsOf = (type: string) =>
    wanted.filter((f) => entities.find((e) => e.name === type)?.fields.some((d) => d.name === f))
  const readStart = Date.now()
  const requestsBefore = client.stats.requests
  let read = 0
  const apps: Array<{ id: string; rev: unknown }> = []
  for (const type of types) {
    for await (const page of connector.read!(conn, type, { fields: fieldsOf(type) })) {
      read += page.records.length
      if (type === 'Application')
        for (const r of page.records) if (apps.length < UPDATES) apps.push({ id: r.id, rev: r.rev })
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
    }
  }
  const readSeconds = (Date.now() - readStart) / 1000
  const readRequests = client.stats.requests - requestsBefore
  console.log(
    `read   ${read} fact sheets (${types.length} types) in ${readSeconds.toFixed(1)} s: ${Math.round(read / readSeconds)} fact sheets/s, ${readRequests} requests, ${client.reader.stats.slices} slices`,
  )
  if (read !== emu.seed.factSheets) console.log(`!! expected ${emu.seed.factSheets}`)

  // update, in pages of 500 changes as the sync engine hands them over
  const writeStart = Date.now()
  const writeRequestsBefore = client.stats.requests
  let ok = 0
  for (let i = 0; i < apps.length; i += 500) {
    const changes: Change[] = apps.slice(i, i + 500).map((a, j) => ({
      op: 'update',
      key: a.id,
      id: a.id,
      revision: a.rev as number,
      values: { description: `benchmark update ${i + j}` },
    }))
    ok += (await connector.write!(conn, 'Application', changes)).filter((r) => r.ok).length
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }
  const writeSeconds = (Date.now() - writeStart) / 1000
  const writeRequests = client.stats.requests - writeRequestsBefore
  console.log(
    `update ${ok}/${apps.length} fact sheets in ${writeSeconds.toFixed(1)} s: ${Math.round(ok / writeSeconds)} fact sheets/s, ${writeRequests} requests`,
  )
  clearInterval(sampler)
  console.log(
    `total requests ${client.stats.requests} (retries ${client.stats.retries}, token exchanges ${client.stats.tokenExchanges}); peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB (connector process, emulator excluded)`,
  )
  await connector.close()
  child.stdin.end()
}
