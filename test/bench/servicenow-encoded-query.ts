// Benchmark (run by hand): the encoded-query evaluator and sorter over N in-memory records.
// Reports CPU time of this process (process.cpuUsage), which shared machines disturb less
// than wall-clock time.
//   npx node test/bench/servicenow-encoded-query.ts [records]
import {
  compareByOrder,
  matchesEncodedQuery,
  parseEncodedQuery,
  sortByOrder,
} from '../../connectors/servicenow/encoded-query/index.ts'

const n = Number(process.argv[2] ?? 100_000)
const cpuMs = () => process.cpuUsage().user / 1000
const records = Array.from({ length: n }, (_, i) => ({
  sys_id: i.toString(16).padStart(32, '0'),
  active: i % 2 === 1 ? 'true' : 'false',
  priority: String(i % 5),
  state: String(i % 7),
  short_description: `Server ${i} SAP outage ${i % 3 === 0 ? 'Zürich' : 'Berlin'}`,
  sys_updated_on: `2024-03-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00`,
}))

for (const text of [
  'active=true^priority<=2^ORstate=3^short_descriptionLIKEsap',
  'sys_updated_on>2024-03-10^priority!=1',
  'stateIN1,2,3^short_descriptionSTARTSWITHserver 9',
]) {
  const query = parseEncodedQuery(text)
  const t = cpuMs()
  let matched = 0
  for (const record of records) if (matchesEncodedQuery(query, record)) matched++
  const ms = cpuMs() - t
  console.log(
    `match ${text}: ${n} records, ${Math.round(ms)} ms CPU (${((ms * 1000) / n).toFixed(2)} µs/record), ${matched} matched`,
  )
}

let t = cpuMs()
for (let i = 0; i < n; i++)
  parseEncodedQuery('active=true^priority<=2^ORstate=3^short_descriptionLIKEsap^ORDERBYsys_id')
console.log(`parse: ${n} queries, ${Math.round(cpuMs() - t)} ms CPU`)

const order = parseEncodedQuery('ORDERBYpriority^ORDERBYDESCsys_updated_on^ORDERBYshort_description')
t = cpuMs()
sortByOrder(records, order)
console.log(`sortByOrder: ${n} records by 3 keys, ${Math.round(cpuMs() - t)} ms CPU`)
t = cpuMs()
;[...records].sort(compareByOrder(order))
console.log(`Array.sort(compareByOrder): ${n} records by 3 keys, ${Math.round(cpuMs() - t)} ms CPU`)
