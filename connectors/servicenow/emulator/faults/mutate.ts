// The "rows change between pages" fault: after a list page is answered, other users insert,
// update and delete rows of the table, as on a busy instance. Inserted rows get fresh random
// sys_ids, so they land before and after the client's position.
import type { Instance } from '../instance/instance.ts'
import type { FaultSpec } from './faults.ts'

export function mutateTable(instance: Instance, fault: FaultSpec): void {
  const table = fault.table
  if (!table || !instance.schema.has(table)) return
  const t = instance.table(table)
  const store = instance.storeOf(t)
  const pick = (): string[] | undefined =>
    store.size > 0 ? store.at(Math.floor(Math.random() * store.size)) : undefined
  for (let i = 0; i < (fault.deletes ?? 0); i++) {
    const row = pick()
    if (row) instance.delete(table, row[0] as string)
  }
  for (let i = 0; i < (fault.updates ?? 0); i++) {
    const row = pick()
    if (!row) continue
    const field = t.fields.has('short_description') ? 'short_description' : t.fields.has('name') ? 'name' : undefined
    if (field) instance.update(table, row[0] as string, { [field]: `${store.value(row, field)} (changed)` }, 'fault')
  }
  for (let i = 0; i < (fault.inserts ?? 0); i++) {
    const template = pick()
    const values = template ? instance.values({ table, store, row: template }) : {}
    delete values.sys_id
    delete values.number
    instance.insert(table, values, 'fault')
  }
}
