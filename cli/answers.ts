// The hub's REST answers the CLI reads, as the published API describes them: the types
// openapi-typescript generates from openapi/openapi.json (`npm run openapi`), so that the CLI
// type-checks against the API it calls and cannot drift from it. The CLI is a client of the
// published API, not of the hub's code: the import is of types only and is erased, so an installed
// CLI carries no server.
import type { components } from '../openapi/crosswalk-api.ts'

type Schemas = components['schemas']
export type Mapping = Schemas['Mapping']
export type Run = Schemas['Run']
export type RunCounts = Schemas['RunCounts']
export type RunAction = Schemas['RunAction']
export type Connection = Schemas['Connection']
export type Advice = Schemas['Advice']
export type FlowApplied = Schemas['FlowApplied']

export const FINISHED_STATUSES = ['OK', 'WARNING', 'ERROR', 'CANCELLED'] as const satisfies ReadonlyArray<Run['status']>
export type FinishedStatus = (typeof FINISHED_STATUSES)[number]

export function isFinished(status: string): status is FinishedStatus {
  return (FINISHED_STATUSES as readonly string[]).includes(status)
}
