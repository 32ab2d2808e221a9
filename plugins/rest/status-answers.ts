// The SIM's ticket backlog as GET /api/v1/status and the integrationStatus GraphQL query both
// answer it (what they answer from: plugins/status-snapshot.ts).
import { OPEN_STATES, type Backlog } from '../../connectors/identitynow/provisioning/records.ts'
import type { SimBacklogAnswer } from '../schemas/status.ts'

export function simAnswer(backlog: Backlog, now: number): SimBacklogAnswer {
  const oldest = backlog.oldestOpenAt
  return {
    tickets: backlog.byState,
    open: OPEN_STATES.reduce((sum, state) => sum + backlog.byState[state], 0),
    oldestOpenAt: oldest ? oldest.toISOString() : null,
    oldestOpenAgeSeconds: oldest ? Math.max(0, Math.floor((now - oldest.getTime()) / 1000)) : null,
  }
}
