// Keeps a workspace's changes in a folder (core/persist/record-journal.ts): the seed is made again
// from its options at each start, then what the journal holds is put back over it, through the
// store's own put and delete methods so that its indexes follow.
import { RecordJournal, replayJournal } from '../../../../core/persist/record-journal.ts'
import type { CollectionName, WorkspaceStore } from './store.ts'
import type * as Records from './records.ts'
import type { MetaModel } from '../meta-model.ts'

function restore(store: WorkspaceStore, collection: CollectionName, id: string, value: unknown): void {
  switch (collection) {
    case 'factSheets':
      if (value === null) store.deleteFactSheet(null, id)
      else store.putFactSheet(null, value as Records.FactSheetRecord)
      return
    case 'relations':
      if (value === null) store.deleteRelation(null, id)
      else store.putRelation(null, value as Records.RelationRecord)
      return
    case 'tags':
      if (value === null) store.deleteTag(null, id)
      else store.putTag(null, value as Records.TagRecord)
      return
    case 'tagGroups':
      if (value === null) store.tagGroups.delete(id)
      else store.putTagGroup(null, value as Records.TagGroupRecord)
      return
    case 'users':
      if (value === null) store.users.delete(id)
      else store.putUser(value as Records.UserRecord)
      return
    case 'subscriptionRoles':
      if (value === null) store.subscriptionRoles.delete(id)
      else store.putSubscriptionRole(value as Records.SubscriptionRoleRecord)
      return
    case 'subscriptions':
      if (value === null) store.deleteSubscription(null, id)
      else store.putSubscription(null, value as Records.SubscriptionRecord)
      return
    case 'documents':
      if (value === null) store.deleteDocument(null, id)
      else store.putDocument(null, value as Records.DocumentRecord)
      return
    case 'relationConstraints':
      if (value === null) store.deleteRelationConstraint(null, id)
      else store.putRelationConstraint(null, value as Records.RelationConstraintRecord)
      return
    case 'dataModel':
      // an admin's data model update outlives a restart, with the fact sheets of its new types
      if (value !== null) store.replaceMetaModel(value as MetaModel)
  }
}

const split = (key: string): [CollectionName, string] => {
  const slash = key.indexOf('/')
  return [key.slice(0, slash) as CollectionName, key.slice(slash + 1)]
}

/** Puts back what `dir` holds, then journals every later write; close the journal on shutdown. */
export async function persistWorkspace(
  store: WorkspaceStore,
  dir: string,
  onError?: (error: unknown) => void,
): Promise<RecordJournal> {
  const { bytes } = await replayJournal(dir, (key, value) => {
    const [collection, id] = split(key)
    restore(store, collection, id, value)
  })
  const journal = new RecordJournal(
    {
      dir,
      read: (key) => {
        const [collection, id] = split(key)
        return collection === 'dataModel' ? store.metaModel : (store[collection] as Map<string, unknown>).get(id)
      },
      ...(onError ? { onError } : {}),
    },
    bytes,
  )
  store.onWrite((collection, id) => journal.mark(`${collection}/${id}`))
  return journal
}
