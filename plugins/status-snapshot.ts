// What GET /api/v1/status and the integrationStatus query answer from: every connection with its
// last check, every mapping with its last finished run, and the SIM backlog, read together in a
// fixed number of queries and shared for up to a second by every request that asks. A status
// summary is what monitoring polls, often and from many places; without this, each poll cost
// eight store round trips. A change this instance makes or hears of (a connection saved or
// checked, a mapping saved, a run finished, a ticket closed) drops the snapshot at once, so
// whoever made it sees it; a change on another instance sharing the store shows within
// MAX_STALE_MS. Once a snapshot has aged, the next is read in the background while callers still
// get the last one (a busy store, during a sync, must not hold every status poll up); after a
// change they wait for the new read. `generatedAt` is when the snapshot was read.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { ConnectionRecord } from '../core/connections/repository.ts'
import type { ConnectionHealth } from '../core/connections/health.ts'
import type { MappingRecord } from '../core/mapping/repository.ts'
import type { RunRecord } from '../core/sync/runs-repository.ts'
import type { HubEventName } from '../core/bus/events.ts'
import { OPEN_STATES, type Backlog } from '../connectors/identitynow/provisioning/records.ts'
import type { SimBacklogAnswer } from './schemas/status.ts'

/** how long a snapshot is shared; changes made on this instance drop it sooner */
export const MAX_AGE_MS = 1_000
/** how old a snapshot may be answered while the next one is read (not after a change) */
export const MAX_STALE_MS = 2_000
/** the repositories' largest page */
const PAGE = 500
/** what makes a snapshot stale the moment it is published on this instance's bus */
const CHANGES: HubEventName[] = [
  'connection.changed',
  'connection.checked',
  'mapping.changed',
  'run.finished',
  'provisioning.completed',
]

export interface StatusSnapshot {
  generatedAt: Date
  /** every connection, by name */
  connections: ConnectionRecord[]
  /** every mapping, by name */
  mappings: MappingRecord[]
  /** the SIM's ticket backlog as both surfaces answer it; null when the IdentityNow module is not part of this hub */
  sim: SimBacklogAnswer | null
}

export interface StatusSnapshots {
  /**
   * A snapshot at most MAX_AGE_MS old, or, while the next one is read, the last one if it is at
   * most MAX_STALE_MS old; callers that ask while one is read otherwise share that read.
   */
  current(): Promise<StatusSnapshot>
  /**
   * The last check of a connection record of a snapshot (null: never checked); undefined for a
   * record that came from elsewhere. GraphQL's loaders answer a snapshot's records from here.
   */
  healthOf(connection: object): ConnectionHealth | null | undefined
  /** the last finished run (dry runs left out) of a snapshot's mapping record; null when none */
  lastFinishedRunOf(mapping: object): RunRecord | null | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    status: StatusSnapshots
  }
}

async function everyPage<T>(page: (offset: number) => Promise<{ items: T[] }>): Promise<T[]> {
  const all: T[] = []
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await page(offset)
    all.push(...items)
    if (items.length < PAGE) return all
  }
}

/** what a snapshot's records carry, keyed by the records themselves (gone with them) */
interface Attached {
  health: WeakMap<object, ConnectionHealth | null>
  lastRun: WeakMap<object, RunRecord | null>
}

async function read(app: FastifyInstance, attached: Attached): Promise<StatusSnapshot> {
  const generatedAt = new Date()
  const [connections, mappings, sim] = await Promise.all([
    everyPage((offset) => app.connections.list({ limit: PAGE, offset })),
    everyPage((offset) => app.mappings.list({ limit: PAGE, offset })),
    app.hasDecorator('identitynow') ? app.identitynow.records.backlog() : null,
  ])
  const [health, lastRuns] = await Promise.all([
    app.connections.health.getMany(connections.map((c) => c.id)),
    app.runs.lastFinishedByMappings(mappings.map((m) => m.id)),
  ])
  for (const c of connections) attached.health.set(c, health.get(c.id) ?? null)
  for (const m of mappings) attached.lastRun.set(m, lastRuns.get(m.id) ?? null)
  return { generatedAt, connections, mappings, sim: sim && simAnswer(sim, generatedAt.getTime()) }
}

function simAnswer(backlog: Backlog, now: number): SimBacklogAnswer {
  const oldest = backlog.oldestOpenAt
  return {
    tickets: backlog.byState,
    open: OPEN_STATES.reduce((sum, state) => sum + backlog.byState[state], 0),
    oldestOpenAt: oldest ? oldest.toISOString() : null,
    oldestOpenAgeSeconds: oldest ? Math.max(0, Math.floor((now - oldest.getTime()) / 1000)) : null,
  }
}

export default fp(
  async function statusSnapshot(app: FastifyInstance) {
    const attached: Attached = { health: new WeakMap(), lastRun: new WeakMap() }
    /** the last snapshot read, unless a change has made it stale since */
    let last: StatusSnapshot | undefined
    /** a read in flight, begun after the last change */
    let reading: Promise<StatusSnapshot> | undefined
    /** bumped by each change: a read begun before one is not kept */
    let generation = 0
    for (const event of CHANGES) {
      app.bus.subscribe(event, () => {
        generation++
        last = undefined
        reading = undefined
      })
    }
    const refresh = (): Promise<StatusSnapshot> => {
      if (reading) return reading
      const begun = generation
      const pending = read(app, attached).then(
        (snapshot) => {
          if (generation === begun) last = snapshot
          if (reading === pending) reading = undefined
          return snapshot
        },
        (error: unknown) => {
          // a failed read is not shared beyond the callers already waiting for it
          if (reading === pending) reading = undefined
          throw error
        },
      )
      reading = pending
      return pending
    }
    const snapshots: StatusSnapshots = {
      current() {
        const age = last ? Date.now() - last.generatedAt.getTime() : Number.POSITIVE_INFINITY
        if (last && age < MAX_AGE_MS) return Promise.resolve(last)
        const next = refresh()
        // while a snapshot is read again, callers are not kept waiting behind the store
        if (last && age < MAX_STALE_MS) return Promise.resolve(last)
        return next
      },
      healthOf: (connection) => attached.health.get(connection),
      lastFinishedRunOf: (mapping) => attached.lastRun.get(mapping),
    }
    app.decorate('status', snapshots)
  },
  {
    name: 'crosswalk-status-snapshot',
    dependencies: ['crosswalk-kernel', 'crosswalk-connections', 'crosswalk-sync'],
  },
)
