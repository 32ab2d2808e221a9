// Keeps sys_db_object / sys_dictionary / sys_choice in step with the schema: loaded once at
// start, and refreshed for a table when the emulator admin API adds a table or column.
import type { Instance } from '../instance/instance.ts'
import { dictionaryRowsFor, type DictionaryRows } from './dictionary-rows.ts'

const KINDS: Array<keyof DictionaryRows> = ['sys_db_object', 'sys_dictionary', 'sys_choice']

export function installDictionary(instance: Instance): void {
  const all: DictionaryRows = { sys_db_object: [], sys_dictionary: [], sys_choice: [] }
  for (const table of instance.schema.tableNames()) {
    const rows = dictionaryRowsFor(instance.schema, table)
    for (const k of KINDS) all[k].push(...rows[k])
  }
  for (const k of KINDS) instance.bulkLoad(k, all[k])
  instance.schema.onChange((table) => {
    const rows = dictionaryRowsFor(instance.schema, table)
    for (const k of KINDS)
      for (const r of rows[k]) {
        const id = r.sys_id as string
        if (instance.get(k, id)) instance.update(k, id, r)
        else instance.insert(k, r, 'system', id)
      }
  })
}
