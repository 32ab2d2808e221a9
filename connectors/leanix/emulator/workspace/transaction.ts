// An undo log. LeanIX rolls back every mutation of a request when one of them fails (reference
// §3.3, since 2025-07-28), so each store write records how to take itself back, and events are
// only published when the whole request commits.
import type { DomainEvent } from './records.ts'

export interface Savepoint {
  undo: number
  events: number
}

export class Transaction {
  readonly userId: string
  private readonly undoLog: Array<() => void> = []
  private readonly pending: DomainEvent[] = []

  constructor(userId: string) {
    this.userId = userId
  }

  onRollback(undo: () => void): void {
    this.undoLog.push(undo)
  }

  emit(event: DomainEvent): void {
    this.pending.push(event)
  }

  get events(): readonly DomainEvent[] {
    return this.pending
  }

  savepoint(): Savepoint {
    return { undo: this.undoLog.length, events: this.pending.length }
  }

  /** Takes back everything done after the savepoint (validateOnly, a failed mutation). */
  rollbackTo(point: Savepoint): void {
    while (this.undoLog.length > point.undo) this.undoLog.pop()?.()
    this.pending.length = point.events
  }

  rollback(): void {
    this.rollbackTo({ undo: 0, events: 0 })
  }
}
