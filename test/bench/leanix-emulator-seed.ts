// Bench (run by hand): how fast the LeanIX emulator seeds a large workspace and pages through it.
//   npx node test/bench/leanix-emulator-seed.ts [factSheets=50000]
// Prints seed time, time to the first page (sort + filter of everything), the time to page
// through all fact sheets with first=5000, and the process's resident memory.
import { startLeanixEmulator } from '../../connectors/leanix/emulator/index.ts'

const factSheets = Number(process.argv[2] ?? 50_000)
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const emulator = await startLeanixEmulator({ seed: { seed: 42, factSheets } })
const seeded = performance.now()
const { graphql, store } = emulator.runtime
const user = [...store.users.values()].find((u) => u.technicalUser)
if (user === undefined) throw new Error('no technical user')

const PAGE =
  '{ allFactSheets(first: 5000, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name displayName type } } } }'
let after: string | null = null
let pages = 0
let seen = 0
let firstPageMs = 0
do {
  const started = performance.now()
  const answer = await graphql.run({ query: `query($after: String) ${PAGE}`, variables: { after } }, user)
  if (pages === 0) firstPageMs = performance.now() - started
  const connection = (
    answer.data as { allFactSheets: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: unknown[] } }
  ).allFactSheets
  seen += connection.edges.length
  after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null
  pages++
} while (after !== null)
const paged = performance.now()
const cpu = process.cpuUsage(cpu0)
console.log(
  JSON.stringify(
    {
      factSheets: emulator.seed?.factSheets,
      relations: emulator.seed?.relations,
      startAndSeedMs: Math.round(seeded - t0),
      firstPageMs: Math.round(firstPageMs),
      pageAllMs: Math.round(paged - seeded),
      pages,
      seen,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      rssMiB: Math.round(process.memoryUsage().rss / 1048576),
      loadAverage: (await import('node:os')).loadavg()[0]?.toFixed(1),
    },
    null,
    2,
  ),
)
await emulator.close()
