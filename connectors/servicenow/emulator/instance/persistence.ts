// Keeps an instance's changes in a folder (core/persist/record-journal.ts): the seed is made again
// from its options at each start, then each journaled record is put back over it as it was last
// written, system fields included (sys_updated_on, sys_mod_count), so delta reads see no change.
// Tables and columns made through sys_db_object / sys_dictionary records come back from them.
import { RecordJournal, replayJournal } from '../../../../core/persist/record-journal.ts'
import { DICTIONARY_TABLES, rebuildSchemaFromRecords } from '../schema/dictionary-records.ts'
import type { Instance, RecordValues } from './instance.ts'

const split = (key: string): [string, string] => {
  const slash = key.indexOf('/')
  return [key.slice(0, slash), key.slice(slash + 1)]
}

function restore(data: Instance, table: string, sysId: string, values: RecordValues | null): void {
  const store = data.storeOf(data.table(table))
  const at = store.indexOf(sysId)
  if (at >= 0) store.removeAt(at)
  if (values !== null) store.insert(store.pack({ ...values, sys_id: sysId }))
}

/** Puts back what `dir` holds, then journals every later change; close the journal on shutdown. */
export async function persistInstance(
  data: Instance,
  dir: string,
  onError?: (error: unknown) => void,
): Promise<RecordJournal> {
  // the dictionary's records first: the tables and columns they made are made again before the
  // other rows come back (a row's value in a column the schema lacks would be dropped)
  const later: Array<[string, string, RecordValues | null]> = []
  const { bytes } = await replayJournal(dir, (key, value) => {
    const [table, sysId] = split(key)
    if (DICTIONARY_TABLES.has(table)) restore(data, table, sysId, value as RecordValues | null)
    else later.push([table, sysId, value as RecordValues | null])
  })
  rebuildSchemaFromRecords(data)
  // a table neither this release nor a record has: its rows cannot come back
  for (const [table, sysId, values] of later) if (data.schema.table(table)) restore(data, table, sysId, values)
  const journal = new RecordJournal(
    {
      dir,
      read: (key) => {
        const [table, sysId] = split(key)
        const ref = data.get(table, sysId)
        return ref ? data.values(ref) : undefined
      },
      ...(onError ? { onError } : {}),
    },
    bytes,
  )
  data.onChange((e) => journal.mark(`${e.table}/${e.sysId}`))
  return journal
}
