// The events the kernel publishes. One map from event name to payload keeps publishers and
// subscribers (GraphQL subscriptions, metrics, audit) typed against each other.
import type { RunCounts } from '../sync/counts.ts'

export type RunProgress = {
  runId: string
  mappingId: string
  phase: string
} & RunCounts

export interface HubEvents {
  'run.started': { runId: string; mappingId: string; dryRun: boolean; trigger: string; at: string }
  'run.progress': RunProgress
  'run.finished': RunProgress & { status: string; at: string; message?: string }
  'connection.changed': { connectionId: string; action: 'created' | 'updated' | 'deleted'; at: string }
  /** a check's outcome was kept as the connection's health (by hand or periodic) */
  'connection.checked': { connectionId: string; ok: boolean; at: string }
  'mapping.changed': { mappingId: string; action: 'created' | 'updated' | 'deleted'; at: string }
  'job.failed': { queue: string; jobId: string; error: string; at: string }
  'provisioning.completed': { ticketId: string; provisioningTarget: string; result: string; at: string }
}

export type HubEventName = keyof HubEvents
