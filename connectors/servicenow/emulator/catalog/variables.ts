// Catalog variable answers of ordered items, kept where the platform keeps them: one
// sc_item_option per variable the catalog item asks for (item_option_new: its own and those of the
// variable sets attached to it), linked to the requested item by sc_item_option_mtom (see
// schema/tables/catalog.ts). An answer has to name its question, so a value sent for a variable
// the item does not ask for has nowhere to go and is not kept.
// ItemVariables reads the rows back by variable name for `variables.<name>` in sysparm_fields;
// because it reads the rows, answers changed or deleted over the Table API read back changed.
import type { Instance } from '../instance/instance.ts'

export interface VariableDef {
  sysId: string
  name: string
  order: string
}

/**
 * The variables a catalog item asks for, in their order: its own (item_option_new.cat_item) and
 * those of the variable sets attached to it (io_set_item), as an order form shows them.
 */
export function variablesOf(instance: Instance, catalogItemId: string): VariableDef[] {
  const sets = variableSetsOf(instance, catalogItemId)
  const store = instance.storeOf(instance.table('item_option_new'))
  const out: VariableDef[] = []
  for (let i = 0; i < store.size; i++) {
    const row = store.at(i) as string[]
    const own = store.value(row, 'cat_item') === catalogItemId
    if (!own && !sets.has(store.value(row, 'variable_set'))) continue
    out.push({ sysId: store.value(row, 'sys_id'), name: store.value(row, 'name'), order: store.value(row, 'order') })
  }
  return out.sort((a, b) => Number(a.order) - Number(b.order))
}

/** sys_ids of the variable sets attached to a catalog item */
function variableSetsOf(instance: Instance, catalogItemId: string): Set<string> {
  const links = instance.storeOf(instance.table('io_set_item'))
  const out = new Set<string>()
  for (let i = 0; i < links.size; i++) {
    const link = links.at(i) as string[]
    const set = links.value(link, 'variable_set')
    if (set !== '' && links.value(link, 'sc_cat_item') === catalogItemId) out.add(set)
  }
  return out
}

/** Stores the answers of one ordered item: a row for each variable the item defines. */
export function storeAnswers(
  instance: Instance,
  requestItemId: string,
  catalogItemId: string,
  answers: Readonly<Record<string, string>>,
  user: string,
): void {
  for (const variable of variablesOf(instance, catalogItemId)) {
    const option = instance.insert(
      'sc_item_option',
      { item_option_new: variable.sysId, value: answers[variable.name] ?? '', order: variable.order },
      user,
    )
    instance.insert(
      'sc_item_option_mtom',
      { request_item: requestItemId, sc_item_option: option.store.value(option.row, 'sys_id') },
      user,
    )
  }
}

/** Answers by variable name per requested item, read from the rows (a read-only map view). */
export class ItemVariables implements ReadonlyMap<string, Record<string, string>> {
  readonly #instance: Instance

  constructor(instance: Instance) {
    this.#instance = instance
  }

  get(requestItemId: string): Record<string, string> | undefined {
    return this.#collect(requestItemId).get(requestItemId)
  }

  /**
   * The answers of every requested item from one pass over the links, built when first asked:
   * what a page of `variables.<name>` reads, instead of one pass per record.
   */
  page(): Pick<ReadonlyMap<string, Record<string, string>>, 'get'> {
    let all: Map<string, Record<string, string>> | undefined
    return { get: (requestItemId) => (all ??= this.#collect()).get(requestItemId) }
  }

  has(requestItemId: string): boolean {
    return this.get(requestItemId) !== undefined
  }

  get size(): number {
    return this.#collect().size
  }

  entries(): MapIterator<[string, Record<string, string>]> {
    return this.#collect().entries()
  }

  keys(): MapIterator<string> {
    return this.#collect().keys()
  }

  values(): MapIterator<Record<string, string>> {
    return this.#collect().values()
  }

  [Symbol.iterator](): MapIterator<[string, Record<string, string>]> {
    return this.entries()
  }

  forEach(
    fn: (value: Record<string, string>, key: string, map: ReadonlyMap<string, Record<string, string>>) => void,
  ): void {
    for (const [key, value] of this.#collect()) fn(value, key, this)
  }

  /** one pass over the links; only the given item when named */
  #collect(only?: string): Map<string, Record<string, string>> {
    const data = this.#instance
    const links = data.storeOf(data.table('sc_item_option_mtom'))
    const out = new Map<string, Record<string, string>>()
    for (let i = 0; i < links.size; i++) {
      const link = links.at(i) as string[]
      const item = links.value(link, 'request_item')
      if (only !== undefined && item !== only) continue
      const option = data.get('sc_item_option', links.value(link, 'sc_item_option'))
      if (!option) continue
      const question = data.get('item_option_new', option.store.value(option.row, 'item_option_new'))
      if (!question) continue
      const answers = out.get(item) ?? {}
      answers[question.store.value(question.row, 'name')] = option.store.value(option.row, 'value')
      out.set(item, answers)
    }
    return out
  }
}
