// The events the kernel publishes. One map from event name to payload keeps publishers and
// subscribers (GraphQL subscriptions, metrics, audit) typed against each other.

export interface RunProgress {
  runId: string
  mappingId: string
  phase: string
  read: number
  created: number
  updated: number
  deleted: number
  unchanged: number
  failed: number
}

export interface HubEvents {
  'run.started': { runId: string; mappingId: string; dryRun: boolean; trigger: string; at: string }
  'run.progress': RunProgress
  'run.finished': RunProgress & { status: string; at: string; message?: string }
  'connection.changed': { connectionId: string; action: 'created' | 'updated' | 'deleted'; at: string }
  'job.failed': { queue: string; jobId: string; error: string; at: string }
  'provisioning.completed': { ticketId: string; provisioningTarget: string; result: string; at: string }
}

export type HubEventName = keyof HubEvents
