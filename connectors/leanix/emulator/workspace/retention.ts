// LeanIX deletes archived fact sheets for good after 90 days (docs/reference/leanix.md §3.5), firing
// FACT_SHEET_DELETED and RELATION_DELETED. The emulator does it when asked (tests move the clock
// with the `now` option, then purge), not on a timer.
import type { WorkspaceStore } from './store.ts'
import { Transaction } from './transaction.ts'

export const ARCHIVE_RETENTION_DAYS = 90

/** the acting user of LeanIX's own housekeeping in webhook payloads */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000'

/** Deletes fact sheets archived more than 90 days ago, and their relations; returns their ids. */
export function purgeExpiredArchives(store: WorkspaceStore, actingUserId: string): string[] {
  const cutoff = store.now().getTime() - ARCHIVE_RETENTION_DAYS * 86_400_000
  const tx = new Transaction(actingUserId)
  const purged: string[] = []
  for (const fs of [...store.factSheets.values()]) {
    if (fs.status !== 'ARCHIVED' || fs.archivedAt === null || Date.parse(fs.archivedAt) > cutoff) continue
    for (const relation of store.relationsOf(fs.id)) {
      for (const c of store.constraintsOfRelation(relation.id)) store.deleteRelationConstraint(tx, c.id)
      store.deleteRelation(tx, relation.id)
      tx.emit({ kind: 'RELATION_DELETED', relation })
    }
    for (const subscription of store.subscriptionsOf(fs.id)) store.deleteSubscription(tx, subscription.id)
    for (const document of store.documentsOf(fs.id)) store.deleteDocument(tx, document.id)
    store.deleteFactSheet(tx, fs.id)
    tx.emit({ kind: 'FACT_SHEET_DELETED', factSheet: fs })
    purged.push(fs.id)
  }
  store.commit(tx)
  return purged
}
