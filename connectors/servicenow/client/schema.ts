// Schema discovery: tables from sys_db_object (following super_class up to the root, so that a
// class inherits its parents' columns, as cmdb_ci_server does from cmdb_ci), columns from
// sys_dictionary (type, reference target, choice, mandatory, read-only) and choice values from
// sys_choice, turned into the connector contract's EntityDescription.
import type { EntityDescription, FieldDescription, FieldType } from '../../../core/connector/contract.ts'
import { assertName, combine, inList } from './query.ts'
import type { SnRecord, TableReader } from './table-read.ts'

/** ServiceNow internal_type -> the contract's field type. */
const TYPE_MAP: Record<string, FieldType> = {
  string: 'string',
  translated_text: 'string',
  translated_field: 'string',
  html: 'string',
  journal: 'string',
  journal_input: 'string',
  journal_list: 'string',
  email: 'string',
  url: 'string',
  GUID: 'string',
  sys_class_name: 'string',
  table_name: 'string',
  field_name: 'string',
  script: 'string',
  script_plain: 'string',
  conditions: 'string',
  password: 'string',
  password2: 'string',
  ip_addr: 'string',
  phone_number_e164: 'string',
  integer: 'integer',
  longint: 'integer',
  order_index: 'integer',
  decimal: 'decimal',
  float: 'decimal',
  currency: 'decimal',
  price: 'decimal',
  percent_complete: 'decimal',
  boolean: 'boolean',
  glide_date: 'date',
  glide_date_time: 'datetime',
  due_date: 'datetime',
  date_time: 'datetime',
  calendar_date_time: 'datetime',
  glide_duration: 'string',
  timer: 'string',
  reference: 'reference',
  document_id: 'reference',
  domain_id: 'reference',
  glide_list: 'list',
  slushbucket: 'list',
  json: 'json',
  choice: 'choice',
}

/** internal types whose values are credentials: described as `secret`, never previewed */
const SECRET_TYPES: ReadonlySet<string> = new Set(['password', 'password2'])

const MAX_DEPTH = 20

export interface TableInfo {
  name: string
  label: string
  /** parent table name, '' at a root */
  parent: string
}

const isTrue = (value: unknown) => value === 'true' || value === '1'

async function collect(pages: AsyncIterable<{ records: SnRecord[] }>): Promise<SnRecord[]> {
  const rows: SnRecord[] = []
  for await (const page of pages) rows.push(...page.records)
  return rows
}

export class SchemaDiscovery {
  readonly #reader: TableReader

  constructor(reader: TableReader) {
    this.#reader = reader
  }

  /** The tables and all their ancestors, by name. */
  async tables(names: readonly string[], signal?: AbortSignal): Promise<Map<string, TableInfo>> {
    const tables = new Map<string, TableInfo>()
    const bySysId = new Map<string, string>()
    const parentIds = new Map<string, string>()
    let filter = inList('name', names.map(assertName))
    for (let depth = 0; depth < MAX_DEPTH && filter; depth++) {
      const rows = await collect(
        this.#reader.read('sys_db_object', {
          filter,
          fields: ['name', 'label', 'super_class'],
          partitions: 1,
          ...(signal ? { signal } : {}),
        }),
      )
      for (const row of rows) {
        const name = String(row.name ?? '')
        if (!name) continue
        bySysId.set(row.sys_id, name)
        parentIds.set(name, String(row.super_class ?? ''))
        tables.set(name, { name, label: String(row.label ?? name), parent: '' })
      }
      const missing = [...new Set(parentIds.values())].filter((id) => id !== '' && !bySysId.has(id))
      filter = missing.length > 0 ? inList('sys_id', missing) : ''
    }
    for (const [name, parentId] of parentIds) {
      const info = tables.get(name)
      if (info) info.parent = bySysId.get(parentId) ?? ''
    }
    return tables
  }

  async describe(names: readonly string[], signal?: AbortSignal): Promise<EntityDescription[]> {
    const tables = await this.tables(names, signal)
    const all = [...tables.keys()]
    if (all.length === 0) return []
    const opts = { partitions: 1, ...(signal ? { signal } : {}) }
    const dictionary = await collect(
      this.#reader.read('sys_dictionary', {
        ...opts,
        filter: combine(inList('name', all), ['elementISNOTEMPTY']),
        fields: ['name', 'element', 'column_label', 'internal_type', 'reference', 'choice', 'mandatory', 'read_only'],
      }),
    )
    const choiceRows = await collect(
      this.#reader.read('sys_choice', {
        ...opts,
        filter: combine(inList('name', all), ['inactive=false', 'language=en']),
        fields: ['name', 'element', 'value', 'label', 'sequence'],
      }),
    )
    const choices = new Map<string, Array<{ value: string; label?: string; sequence: number }>>()
    for (const row of choiceRows) {
      const key = `${String(row.name)}.${String(row.element)}`
      const list = choices.get(key) ?? []
      list.push({ value: String(row.value ?? ''), label: String(row.label ?? ''), sequence: Number(row.sequence) || 0 })
      choices.set(key, list)
    }
    const columns = new Map<string, Map<string, SnRecord>>()
    for (const row of dictionary) {
      const table = String(row.name)
      const map = columns.get(table) ?? new Map<string, SnRecord>()
      map.set(String(row.element), row)
      columns.set(table, map)
    }

    const lineage = (name: string): string[] => {
      const chain: string[] = []
      for (let at: string | undefined = name; at && chain.length < MAX_DEPTH; at = tables.get(at)?.parent)
        chain.push(at)
      return chain
    }

    return names
      .filter((name) => tables.has(name))
      .map((name) => {
        const info = tables.get(name) as TableInfo
        const fields = new Map<string, FieldDescription>()
        // the root first, so that a child's own definition (or its override) wins
        for (const table of lineage(name).reverse()) {
          for (const [element, row] of columns.get(table) ?? []) {
            const choiceList = (choices.get(`${name}.${element}`) ?? choices.get(`${table}.${element}`) ?? []).sort(
              (a, b) => a.sequence - b.sequence,
            )
            fields.set(element, describeField(element, row, choiceList))
          }
        }
        return {
          name,
          label: info.label,
          ...(info.parent ? { parent: info.parent } : {}),
          fields: [...fields.values()].sort((a, b) => a.name.localeCompare(b.name)),
        }
      })
  }
}

function describeField(
  element: string,
  row: SnRecord,
  choices: Array<{ value: string; label?: string }>,
): FieldDescription {
  const internalType = String(row.internal_type ?? 'string')
  const hasChoices = String(row.choice ?? '0') !== '0' && String(row.choice ?? '') !== ''
  let type: FieldType = TYPE_MAP[internalType] ?? 'string'
  if (hasChoices && (type === 'string' || type === 'integer')) type = 'choice'
  const reference = String(row.reference ?? '')
  return {
    name: element,
    label: String(row.column_label ?? element),
    type,
    ...(reference && (type === 'reference' || type === 'list') ? { reference } : {}),
    ...(type === 'choice' && choices.length > 0
      ? { choices: choices.map(({ value, label }) => ({ value, ...(label ? { label } : {}) })) }
      : {}),
    ...(isTrue(row.read_only) ? { readOnly: true } : {}),
    ...(isTrue(row.mandatory) ? { mandatory: true } : {}),
    ...(SECRET_TYPES.has(internalType) ? { secret: true } : {}),
  }
}
