// Keeps an instance's changes in a folder (core/persist/record-journal.ts): the seed is made again
// from its options at each start, then each journaled record is put back over it as it was last
// written, system fields included (sys_updated_on, sys_mod_count), so delta reads see no change.
import { RecordJournal, replayJournal } from '../../../../core/persist/record-journal.ts'
import type { Instance, RecordValues } from './instance.ts'

const split = (key: string): [string, string] => {
  const slash = key.indexOf('/')
  return [key.slice(0, slash), key.slice(slash + 1)]
}

function restore(data: Instance, table: string, sysId: string, values: RecordValues | null): void {
  if (!data.schema.table(table)) return // a table this release does not have: its rows cannot come back
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
  const { bytes } = await replayJournal(dir, (key, value) => {
    const [table, sysId] = split(key)
    restore(data, table, sysId, value as RecordValues | null)
  })
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
