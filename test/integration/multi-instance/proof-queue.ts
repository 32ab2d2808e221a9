// The queue and tables the multi-instance test and its hub processes share.
import type { QueueDefinition } from '../../../core/queue/job-queue.ts'

export interface ProofJob {
  n: number
  workMs: number
  hold?: boolean
}

export const PROOF_QUEUE: QueueDefinition = {
  name: 'proof',
  retryLimit: 3,
  retryDelaySeconds: 0,
  retryBackoff: false,
  // the shortest heartbeat pg-boss allows: a job of a killed process is failed back after 10 s
  heartbeatSeconds: 10,
  expireInSeconds: 120,
}

export const PROOF_TABLES = `
  create table proof_execution (
    job_id uuid not null,
    n integer not null,
    instance text not null,
    pid integer not null,
    attempt integer not null,
    at timestamptz not null default now()
  );
  create table proof_completion (
    job_id uuid primary key,
    instance text not null,
    at timestamptz not null default now()
  );
`
