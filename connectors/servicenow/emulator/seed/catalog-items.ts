// Catalog items as an IdentityNow service desk integration orders them: each defines the
// variables the hub fills, including `correlation_id`, the plan's correlation id. The hub finds
// an order whose marking a crash interrupted by that answer (sc_item_option), so an item
// without the variable cannot be recovered automatically.
import type { Instance, RecordValues } from '../instance/instance.ts'

export interface CatalogVariable {
  name: string
  question: string
  /** item_option_new.type: 6 single line text, 2 multi line text */
  type: '6' | '2'
  mandatory?: boolean
}

/** The variables of an IdentityNow-fed catalog item, in form order. */
export const IDENTITYNOW_VARIABLES: readonly CatalogVariable[] = [
  { name: 'requested_identity', question: 'Identity', type: '6' },
  { name: 'access_action', question: 'Action', type: '6' },
  { name: 'justification', question: 'Business justification', type: '2' },
  { name: 'correlation_id', question: 'Correlation id (IdentityNow plan)', type: '6' },
]

/** item_option_new rows for a catalog item's variables (or, with `owner.variableSet`, a variable set's) */
export function variableRows(
  owner: string | { variableSet: string },
  variables: readonly CatalogVariable[],
): RecordValues[] {
  const ownedBy: RecordValues = typeof owner === 'string' ? { cat_item: owner } : { variable_set: owner.variableSet }
  return variables.map((v, i) => ({
    ...ownedBy,
    name: v.name,
    question_text: v.question,
    type: v.type,
    mandatory: v.mandatory ? 'true' : 'false',
    order: String((i + 1) * 100),
  }))
}

/**
 * Inserts an active catalog item with its variables; returns its sys_id. Extra variables (e.g.
 * the fields an integration's `request` templates fill) come after the IdentityNow ones.
 */
export function defineCatalogItem(
  instance: Instance,
  name: string,
  options: { variables?: readonly CatalogVariable[]; extraVariables?: readonly string[] } = {},
): string {
  const item = instance.insert('sc_cat_item', { name, short_description: `Request ${name}`, active: 'true' }, 'admin')
  const sysId = item.store.value(item.row, 'sys_id')
  const extra = (options.extraVariables ?? []).map((v): CatalogVariable => ({ name: v, question: v, type: '6' }))
  for (const row of variableRows(sysId, [...(options.variables ?? IDENTITYNOW_VARIABLES), ...extra])) {
    instance.insert('item_option_new', row, 'admin')
  }
  return sysId
}

/**
 * Inserts a variable set (item_option_new_set) with its variables (item_option_new.variable_set)
 * and attaches it to each of the given catalog items (io_set_item); returns the set's sys_id.
 */
export function defineVariableSet(
  instance: Instance,
  title: string,
  variables: readonly CatalogVariable[],
  attachTo: readonly string[] = [],
): string {
  const set = instance.insert('item_option_new_set', { title, name: title.toLowerCase().replace(/\W+/g, '_') }, 'admin')
  const sysId = set.store.value(set.row, 'sys_id')
  for (const row of variableRows({ variableSet: sysId }, variables)) instance.insert('item_option_new', row, 'admin')
  for (const item of attachTo) attachVariableSet(instance, item, sysId)
  return sysId
}

/** Attaches a variable set to a catalog item (an io_set_item row); returns the link's sys_id. */
export function attachVariableSet(instance: Instance, catalogItemId: string, variableSetId: string): string {
  const link = instance.insert('io_set_item', { sc_cat_item: catalogItemId, variable_set: variableSetId }, 'admin')
  return link.store.value(link.row, 'sys_id')
}
