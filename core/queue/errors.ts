// Errors the job queue raises, declared once with stable codes.
import createError from '@fastify/error'
import { retryable } from '../retryable.ts'

export const QueueErrors = {
  UNKNOWN_QUEUE: createError(
    'CW_QUEUE_UNKNOWN',
    'No queue named "%s" is defined on this instance; define it at start-up before sending to or working on it',
    500,
  ),
  DEFINITION_INVALID: createError('CW_QUEUE_DEFINITION_INVALID', 'Queue "%s" cannot be defined: %s', 500),
  POLICY_CHANGED: createError(
    'CW_QUEUE_POLICY_CHANGED',
    'Queue "%s" already exists with policy "%s" and cannot change to "%s"; give the new behaviour a new queue name',
    500,
  ),
  SCHEDULE_INVALID: createError(
    'CW_QUEUE_SCHEDULE_INVALID',
    'Schedule "%s" for queue "%s" is not a valid cron expression (5 fields, or 6 with seconds): %s',
    400,
  ),
  STOPPED: retryable(
    createError('CW_QUEUE_STOPPED', 'The job queue is stopped (the hub is shutting down); %s was refused', 503),
  ),
  START_FAILED: createError('CW_QUEUE_START_FAILED', 'The job queue could not start on the store: %s', 503),
  JOB_CANCELLED: createError('CW_QUEUE_JOB_CANCELLED', 'Job %s of queue "%s" was cancelled', 409),
} as const
