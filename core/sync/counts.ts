// What a run counts, declared once: the runs table (a JSON column), bus events, REST and GraphQL
// schemas are all built from this list.
import { Type, type TObject, type TInteger } from 'typebox'

export const RUN_COUNT_NAMES = [
  'read',
  'created',
  'updated',
  'deleted',
  'linked',
  'unchanged',
  'conflicts',
  'skipped',
  'failed',
  'relationsCreated',
  'relationsDeleted',
] as const

export type RunCountName = (typeof RUN_COUNT_NAMES)[number]
export type RunCounts = Record<RunCountName, number>

export const RUN_COUNT_DESCRIPTIONS: Record<RunCountName, string> = {
  read: 'source records read',
  created: 'records created',
  updated: 'records updated (either side)',
  deleted: 'records deleted (or archived)',
  linked: 'existing records linked on first sight (matching rules, identity field)',
  unchanged: 'records already in step',
  conflicts: 'fields both sides changed since the last run (resolved by the field direction)',
  skipped: 'records left alone (ambiguous match, refused deletion, nothing to map)',
  failed: 'records or relations whose write failed',
  relationsCreated: 'relations created',
  relationsDeleted: 'relations deleted',
}

export function zeroCounts(): RunCounts {
  return Object.fromEntries(RUN_COUNT_NAMES.map((n) => [n, 0])) as RunCounts
}

/** Counts as stored may lack names added later. */
export function countsOf(stored: unknown): RunCounts {
  const out = zeroCounts()
  if (typeof stored === 'object' && stored !== null) {
    for (const n of RUN_COUNT_NAMES) {
      const v = (stored as Record<string, unknown>)[n]
      if (typeof v === 'number' && Number.isFinite(v)) out[n] = v
    }
  }
  return out
}

export function addCounts(into: RunCounts, more: Partial<RunCounts>): RunCounts {
  for (const n of RUN_COUNT_NAMES) into[n] += more[n] ?? 0
  return into
}

export const RunCountsSchema: TObject<Record<RunCountName, TInteger>> = Type.Object(
  Object.fromEntries(
    RUN_COUNT_NAMES.map((n) => [n, Type.Integer({ minimum: 0, description: RUN_COUNT_DESCRIPTIONS[n] })]),
  ) as Record<RunCountName, TInteger>,
  { title: 'RunCounts', $id: 'RunCounts' },
)
