// allLogEvents(factSheetId): the per-fact-sheet audit log (docs/reference/leanix.md §3.1, §3.10 option 3), fed
// by committed events; newest first like the fact sheet's history tab.
import type { CommittedEvent, DomainEvent } from '../workspace/records.ts'
import type { WorkspaceStore } from '../workspace/store.ts'

export interface LogEvent {
  id: string
  eventType: DomainEvent['kind']
  path: string | null
  oldValue: string | null
  newValue: string | null
  message: string | null
  createdAt: string
  userId: string
  factSheetId: string
}

const text = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v)

/** The comment given when archiving or recovering is the log entry's message; a document shows its name. */
function logMessage(event: DomainEvent): string | null {
  switch (event.kind) {
    case 'FACT_SHEET_ARCHIVED':
    case 'FACT_SHEET_RECOVERED':
      return event.comment
    case 'DOCUMENT_CREATED':
    case 'DOCUMENT_UPDATED':
    case 'DOCUMENT_DELETED':
      return event.document.name
    default:
      return null
  }
}

/** The fact sheets an event belongs to in the log (a relation shows on both ends). */
function subjects(event: DomainEvent): string[] {
  if ('factSheet' in event) return [event.factSheet.id]
  return [event.relation.fromId, event.relation.toId]
}

export class FactSheetLog {
  private readonly byFactSheet = new Map<string, LogEvent[]>()

  constructor(store: WorkspaceStore) {
    store.history.forEach((entry, i) => {
      const list = this.byFactSheet.get(entry.factSheetId) ?? []
      list.unshift({
        id: `seed-${i}`,
        eventType: entry.eventType,
        path: entry.path,
        oldValue: null,
        newValue: entry.newValue,
        message: null,
        createdAt: entry.createdAt,
        userId: entry.userId,
        factSheetId: entry.factSheetId,
      })
      this.byFactSheet.set(entry.factSheetId, list)
    })
    store.onEvent((committed) => this.record(committed))
  }

  private record(committed: CommittedEvent): void {
    const { event } = committed
    for (const factSheetId of subjects(event)) {
      const entry: LogEvent = {
        id: `${committed.transactionSequenceNumber}-${factSheetId.slice(0, 8)}`,
        eventType: event.kind,
        path: event.kind === 'FACT_SHEET_FIELD_UPDATED' ? event.path : null,
        oldValue: event.kind === 'FACT_SHEET_FIELD_UPDATED' ? text(event.oldValue) : null,
        newValue: event.kind === 'FACT_SHEET_FIELD_UPDATED' ? text(event.newValue) : null,
        message: logMessage(event),
        createdAt: committed.createdAt,
        userId: committed.userId,
        factSheetId,
      }
      const list = this.byFactSheet.get(factSheetId) ?? []
      list.unshift(entry)
      this.byFactSheet.set(factSheetId, list)
    }
  }

  of(factSheetId: string, eventTypes: readonly string[] | null): LogEvent[] {
    const list = this.byFactSheet.get(factSheetId) ?? []
    return eventTypes === null || eventTypes.length === 0 ? list : list.filter((e) => eventTypes.includes(e.eventType))
  }
}
