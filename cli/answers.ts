// The parts of the hub's REST answers the CLI reads (openapi/openapi.json has them whole). The
// CLI is a client of the published API, not of the hub's code: an installed CLI carries no server.

export const FINISHED_STATUSES = ['OK', 'WARNING', 'ERROR', 'CANCELLED'] as const
export type FinishedStatus = (typeof FINISHED_STATUSES)[number]

export interface Mapping {
  id: string
  name: string
  version: number
  enabled: boolean
  mode: string
  sourceConnectionId: string
  targetConnectionId: string
  sourceEntity: string
  targetEntity: string
  updatedAt: string
}

export type RunCounts = Record<string, number>

export interface Run {
  id: string
  mappingId: string
  status: string
  kind: string
  trigger: string
  dryRun: boolean
  queuedAt: string
  startedAt: string | null
  finishedAt: string | null
  counts: RunCounts
  message: string | null
  cancelRequested: boolean
  phase: string | null
}

type Comparable = string | null | string[]

export interface RunAction {
  id: string
  kind: 'record' | 'relation'
  action: string
  status: string
  side: 'source' | 'target'
  sourceId: string | null
  targetId: string | null
  display: string | null
  changes: Array<{ key: string; side: string; field: string; before: Comparable; after: Comparable }> | null
  message: string | null
}

export function isFinished(status: string): status is FinishedStatus {
  return (FINISHED_STATUSES as readonly string[]).includes(status)
}
