// Runs queued in one transaction share queued_at (PostgreSQL's now() is the transaction's time):
// the lists and "the latest run of a mapping" still give them in the order they were queued, not
// in the order of their random ids. Twenty runs make an id order that happens to agree one
// chance in 20! for the list. On both stores.
import { test } from 'tap'
import { randomUUID } from 'node:crypto'
import { testStore } from '../../helpers/store.ts'
import { RunRepository } from '../../../core/sync/runs-repository.ts'

test('runs queued together keep the order they were queued in', async (t) => {
  const db = await testStore(t)
  const connection = randomUUID()
  const mapping = randomUUID()
  await db.query(`insert into connections (id, name, connector) values ($1, 'c', 'servicenow')`, [connection])
  await db.query(
    `insert into mappings (id, name, source_connection_id, target_connection_id, source_entity, target_entity)
     values ($1, 'm', $2, $2, 'a', 'b')`,
    [mapping, connection],
  )
  const runs = new RunRepository(db)
  const queued: string[] = []
  await db.transaction(async (tx) => {
    for (let i = 0; i < 20; i++)
      queued.push((await runs.create({ mappingId: mapping, trigger: 'manual', dryRun: false, kind: 'full' }, tx)).id)
  })
  const newestFirst = [...queued].reverse()
  t.same(
    (await runs.list({ mappingId: mapping, limit: 100 })).items.map((r) => r.id),
    newestFirst,
    'the list, newest first',
  )
  t.equal((await runs.latestByMappings([mapping])).get(mapping)?.id, newestFirst[0], 'the latest run')
  t.same(
    (await runs.recentByMappings([mapping], 5)).get(mapping)?.map((r) => r.id),
    newestFirst.slice(0, 5),
    'the recent runs',
  )
})
