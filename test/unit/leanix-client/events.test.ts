// Webhook events (docs/reference/leanix.md §5, §10.2, §10.11): at-least-once and unordered deliveries are
// de-duplicated, ordered by transactionSequenceNumber, stale ones dropped, and the hub's own
// writes (events whose userId is its technical user) ignored.
import { test } from 'tap'
import { EventSequencer, normalizeEvent } from '../../../connectors/leanix/client/events.ts'

const OWN = 'tech-user-hub'

function updated(id: number, fsId: string, seq: number, userId = 'someone', rev = seq) {
  return {
    id,
    type: 'FactSheetUpdatedEvent',
    userId,
    createdAt: '2026-03-01T10:00:00Z',
    workspaceId: 'ws',
    transactionSequenceNumber: seq,
    factSheet: { id: fsId, rev, name: `FS ${fsId}`, type: 'Application', status: 'ACTIVE' },
  }
}

test('payload shapes become contract change events', async (t) => {
  t.match(normalizeEvent(updated(1, 'a', 10)), {
    entity: 'Application',
    id: 'a',
    op: 'update',
    sequence: 10,
    actor: 'someone',
    at: '2026-03-01T10:00:00Z',
    record: { rev: 10 },
  })
  t.match(
    normalizeEvent({
      id: 2,
      type: 'FactSheetArchivedEvent',
      fsType: 'ITComponent',
      userId: 'u',
      comment: 'bye',
      fsIdAndRev: { id: 'b', rev: 4 },
      affectedFactSheetIdAndRev: [],
      transactionSequenceNumber: 11,
    }),
    { entity: 'ITComponent', id: 'b', op: 'delete', sequence: 11 },
  )
  t.match(
    normalizeEvent({
      id: 3,
      type: 'RelationCreatedEvent',
      transactionSequenceNumber: 12,
      relation: { id: 'r', type: 'relApplicationToITComponent', fromId: 'c', toId: 'd', typeFromFS: 'Application' },
    }),
    { entity: 'Application', id: 'c', op: 'update' },
  )
  t.match(
    normalizeEvent({
      type: 'FactSheetRecoveredEvent',
      transactionSequenceNumber: 13,
      factSheet: { id: 'e', type: 'Application' },
    }),
    {
      op: 'create',
    },
  )
  // payloadMode WRAPPED_EVENT: the envelope around the payload
  t.match(
    normalizeEvent({ id: 'env-1', type: 'FACT_SHEET_UPDATED', userId: 'u9', payload: updated(4, 'f', 14, 'u9') }),
    {
      id: 'f',
      actor: 'u9',
      sequence: 14,
    },
  )
  t.equal(normalizeEvent({ type: 'IntegrationRunFinishedEvent' }), undefined)
})

test('duplicates are dropped and a batch comes out in sequence order', async (t) => {
  const seq = new EventSequencer({ ownUserId: OWN })
  const out = seq.accept([updated(3, 'c', 30), updated(1, 'a', 10), updated(2, 'b', 20), updated(1, 'a', 10)])
  t.same(
    out.map((e) => e.sequence),
    [10, 20, 30],
  )
  t.same(seq.accept([updated(2, 'b', 20)]), [], 'a redelivery in a later batch is dropped too')
  t.equal(seq.stats.duplicate, 2)
})

test('an event older than one already passed on for the same fact sheet is stale', async (t) => {
  const seq = new EventSequencer()
  t.equal(seq.accept([updated(5, 'a', 50)]).length, 1)
  t.same(
    seq.accept([updated(4, 'a', 40), updated(6, 'b', 45)]).map((e) => e.id),
    ['b'],
  )
  t.equal(seq.stats.stale, 1)
})

test("events caused by the hub's own technical user are ignored", async (t) => {
  const seq = new EventSequencer({ ownUserId: OWN })
  const out = seq.accept([updated(1, 'a', 1, OWN), updated(2, 'b', 2, 'human')])
  t.same(
    out.map((e) => e.id),
    ['b'],
  )
  t.equal(seq.stats.own, 1)
})

test('memory is bounded', async (t) => {
  const seq = new EventSequencer({ memory: 10 })
  seq.accept(Array.from({ length: 50 }, (_, i) => updated(i, `fs${i}`, i)))
  // the oldest keys were forgotten, so a very late redelivery passes again: bounded, not exact
  t.equal(seq.accept([updated(0, 'fs0', 0)]).length, 1)
  t.equal(seq.accept([updated(49, 'fs49', 49)]).length, 0)
})
