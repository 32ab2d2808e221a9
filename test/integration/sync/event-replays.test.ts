// A change event that carries a sequence (LeanIX's transactionSequenceNumber) is taken once, also
// after a restart: LeanIX retries a delivery for up to 10 days, and the LeanIX connector's memory
// of what it passed on ends with the process. The intake is called here directly, as it is after
// a restart, with nothing in the connector's memory (issue 11 point 10).
import { test } from 'tap'
import type { ChangeEvent } from '../../../core/connector/contract.ts'
import { syncHarness } from '../../helpers/sync-harness.ts'

test('replayed and late events are dropped by the store; newer and unsequenced ones are taken', async (t) => {
  const h = await syncHarness(t)
  await h.createMapping({
    name: 'replays',
    source: { connectionId: h.lxConnectionId, entity: 'Application' },
    target: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app' },
    mode: 'additive',
    fields: [{ type: 'field', source: 'name', target: 'name' }],
    matching: { rules: [] },
    events: { shortBuffering: false },
  })
  const intake = h.hub.app.sync.intake
  const change = (id: string, sequence?: number | string): ChangeEvent => ({
    entity: 'Application',
    id,
    op: 'update',
    ...(sequence === undefined ? {} : { sequence }),
  })
  const taken = async (...events: ChangeEvent[]) => (await intake.accept(h.lxConnectionId, events)).accepted

  t.equal(await taken(change('fs-1', 100)), 1, 'a first event is taken')
  t.equal(await taken(change('fs-1', 100)), 0, 'the same event again (a replay) is dropped')
  t.equal(await taken(change('fs-1', 99)), 0, 'an older event arriving late is dropped')
  t.equal(await taken(change('fs-1', '101')), 1, 'a newer one is taken, whether number or digits')
  t.equal(await taken(change('fs-2', 50)), 1, 'sequences are per record')
  t.equal(await taken(change('fs-1'), change('fs-1')), 2, 'events without a sequence always pass')
  t.equal(
    await taken(change('fs-3', 7), change('fs-3', 8), change('fs-1', 101)),
    2,
    'in one batch: both new events of a record, not the replay of another',
  )
  t.equal(
    await taken(change('fs-4', '9007199254740993'), change('fs-4', '9007199254740992')),
    2,
    'sequences beyond 2^53 are compared exactly (both new)',
  )
  t.equal(await taken(change('fs-4', '9007199254740993')), 0, 'and a replay of the larger is dropped')

  // deliveries of the same event racing each other: exactly one takes it
  const raced = await Promise.all(Array.from({ length: 6 }, () => taken(change('fs-5', 3))))
  t.equal(
    raced.reduce((a, b) => a + b, 0),
    1,
    'one of six concurrent deliveries takes the event',
  )

  const rows = await h.hub.app.db.query<{ record_id: string; sequence: string }>(
    `select record_id, sequence::text from sync_event_sequences where connection_id = $1 order by record_id`,
    [h.lxConnectionId],
  )
  t.same(
    rows.rows.map((r) => [r.record_id, r.sequence]),
    [
      ['fs-1', '101'],
      ['fs-2', '50'],
      ['fs-3', '8'],
      ['fs-4', '9007199254740993'],
      ['fs-5', '3'],
    ],
    'the store holds the last sequence taken per record',
  )
})

test('an event no mapping takes leaves no sequence behind', async (t) => {
  const h = await syncHarness(t)
  const result = await h.hub.app.sync.intake.accept(h.lxConnectionId, [
    { entity: 'Application', id: 'fs-9', op: 'update', sequence: 1 },
  ])
  t.equal(result.accepted, 0)
  const rows = await h.hub.app.db.query(`select 1 from sync_event_sequences`)
  t.equal(rows.rows.length, 0)
})
