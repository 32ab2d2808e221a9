// What the status summary is made of, shared by GET /api/v1/status and the integrationStatus
// GraphQL query: every record of a kind (in pages of the repositories' largest), and the SIM's
// ticket backlog as both surfaces answer it.
import type { FastifyInstance } from 'fastify'
import type { ConnectionRecord } from '../../core/connections/repository.ts'
import type { MappingRecord } from '../../core/mapping/repository.ts'
import { OPEN_STATES, type Backlog } from '../../connectors/identitynow/provisioning/records.ts'
import type { SimBacklogAnswer } from '../schemas/status.ts'

const PAGE = 500

async function everyPage<T>(page: (offset: number) => Promise<{ items: T[] }>): Promise<T[]> {
  const all: T[] = []
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await page(offset)
    all.push(...items)
    if (items.length < PAGE) return all
  }
}

export function allMappings(app: FastifyInstance): Promise<MappingRecord[]> {
  return everyPage((offset) => app.mappings.list({ limit: PAGE, offset }))
}

export function allConnections(app: FastifyInstance): Promise<ConnectionRecord[]> {
  return everyPage((offset) => app.connections.list({ limit: PAGE, offset }))
}

/** The SIM backlog, or null when the IdentityNow module is not part of this hub. */
export async function simBacklog(app: FastifyInstance, now = Date.now()): Promise<SimBacklogAnswer | null> {
  if (!app.hasDecorator('identitynow')) return null
  return simAnswer(await app.identitynow.records.backlog(), now)
}

export function simAnswer(backlog: Backlog, now: number): SimBacklogAnswer {
  const oldest = backlog.oldestOpenAt
  return {
    tickets: backlog.byState,
    open: OPEN_STATES.reduce((sum, state) => sum + backlog.byState[state], 0),
    oldestOpenAt: oldest ? oldest.toISOString() : null,
    oldestOpenAgeSeconds: oldest ? Math.max(0, Math.floor((now - oldest.getTime()) / 1000)) : null,
  }
}
