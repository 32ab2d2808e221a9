// SailPoint's standard collection parameters (filters, sorters) for the fields the service desk
// integration list supports: `id eq,in`, `name eq`, `type eq,in`, `cluster eq,in`, sorted by
// `name` or `-name`. Expressions are joined with `and`; values are double-quoted strings.
// Grammar: https://developer.sailpoint.com/idn/api/standard-collection-parameters
import { IdnErrors } from '../errors.ts'

export type FilterField = 'id' | 'name' | 'type' | 'cluster'

export interface FilterTerm {
  field: FilterField
  /** `eq` is a one-element `in` */
  values: string[]
}

const ALLOWED: Record<FilterField, ReadonlyArray<'eq' | 'in'>> = {
  id: ['eq', 'in'],
  name: ['eq'],
  type: ['eq', 'in'],
  cluster: ['eq', 'in'],
}

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`
const TERM = new RegExp(String.raw`^\s*(\w+)\s+(eq|in)\s+(${QUOTED}|\(\s*${QUOTED}(?:\s*,\s*${QUOTED})*\s*\))\s*`, 'i')

function unquoteAll(list: string): string[] {
  const values: string[] = []
  for (const match of list.matchAll(new RegExp(QUOTED, 'g'))) values.push((match[1] ?? '').replace(/\\(.)/g, '$1'))
  return values
}

export function parseFilters(input: string | undefined): FilterTerm[] {
  if (input === undefined || input.trim() === '') return []
  const terms: FilterTerm[] = []
  let rest = input
  for (;;) {
    const match = TERM.exec(rest)
    if (!match) throw new IdnErrors.BAD_COLLECTION_PARAM('filters', `cannot read "${rest.trim()}"`)
    const field = match[1] as string
    const op = (match[2] as string).toLowerCase() as 'eq' | 'in'
    if (!(field in ALLOWED)) {
      throw new IdnErrors.BAD_COLLECTION_PARAM(
        'filters',
        `field "${field}" cannot be filtered (id, name, type, cluster)`,
      )
    }
    if (!ALLOWED[field as FilterField].includes(op)) {
      throw new IdnErrors.BAD_COLLECTION_PARAM('filters', `operator "${op}" is not supported on "${field}"`)
    }
    terms.push({ field: field as FilterField, values: unquoteAll(match[3] as string) })
    rest = rest.slice(match[0].length)
    if (rest.trim() === '') return terms
    const and = /^and\s+/i.exec(rest)
    if (!and) throw new IdnErrors.BAD_COLLECTION_PARAM('filters', `expected "and" before "${rest.trim()}"`)
    rest = rest.slice(and[0].length)
  }
}

export interface Sorter {
  field: 'name'
  descending: boolean
}

export function parseSorters(input: string | undefined): Sorter[] {
  if (input === undefined || input.trim() === '') return []
  return input.split(',').map((raw) => {
    const text = raw.trim()
    const descending = text.startsWith('-')
    const field = descending ? text.slice(1) : text
    if (field !== 'name') throw new IdnErrors.BAD_COLLECTION_PARAM('sorters', `"${field}" cannot be sorted (only name)`)
    return { field, descending }
  })
}
