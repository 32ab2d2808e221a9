// The two terms that look into another table: a related-list query and a join subquery.
//
//   RLQUERY<table>.<field>,<op><n>[,m2m]^<conditions>^ENDRLQUERY
//     rows of <table> whose <field> references the record, counted among those matching
//     <conditions>; the record matches when that count satisfies <op><n> (>, >=, <, <=, =, !=).
//     m2m marks a many-to-many table; the conditions still apply to its rows (dot-walks such as
//     role.name reach the other side).
//   JOIN<table>.<field>=<other_table>.<other_field>[!<conditions>]
//     the record matches when some row of <other_table> has <other_field> equal to the record's
//     <field> and matches <conditions>.
//
// Shapes as ServiceNow's own client PySNC builds and its live tests run them
// (https://github.com/ServiceNow/PySNC/blob/main/test/test_snc_api_query_advanced.py:
// `RLQUERYsys_group_has_role.group,>0,m2m^role.nameLIKEadmin^ENDRLQUERY`,
// `JOINsys_user.sys_id=sys_user_group.manager!active=true`); the operator table of the docs lists
// them as special terms (https://www.servicenow.com/docs/r/platform-user-interface/r_OpAvailableFiltersQueries.html).
import type { EncodedQuery } from './ast.ts'
import { EncodedQueryError } from './errors.ts'
import { parseEncodedQuery } from './parser.ts'

export type CountComparison = '>' | '>=' | '<' | '<=' | '=' | '!='

export interface RelatedListQuery {
  readonly table: string
  /** the field of `table` that references the record under evaluation */
  readonly field: string
  readonly comparison: CountComparison
  readonly count: number
  readonly manyToMany: boolean
  readonly query: EncodedQuery
}

export interface JoinQuery {
  /** the field of the record's own table whose value is looked up */
  readonly field: string
  readonly otherTable: string
  readonly otherField: string
  readonly query: EncodedQuery
}

const NAME = '[a-z0-9_]+'
const RL_SPEC = new RegExp(`^(${NAME})\\.(${NAME}),(>=|<=|!=|>|<|=)(\\d+)(,m2m)?$`)
const JOIN_SPEC = new RegExp(`^(${NAME})\\.(${NAME})=(${NAME})\\.(${NAME})$`)

/** `text` is what the parser kept between RLQUERY and ^ENDRLQUERY */
export function parseRelatedListQuery(text: string): RelatedListQuery {
  const caret = text.indexOf('^')
  const spec = caret < 0 ? text : text.slice(0, caret)
  const m = RL_SPEC.exec(spec)
  if (!m) {
    throw new EncodedQueryError(0, `RLQUERY needs "<table>.<field>,<op><count>[,m2m]", found "${spec}"`)
  }
  return {
    table: m[1] as string,
    field: m[2] as string,
    comparison: m[3] as CountComparison,
    count: Number(m[4]),
    manyToMany: m[5] !== undefined,
    query: parseEncodedQuery(caret < 0 ? '' : text.slice(caret + 1)),
  }
}

/** `text` is what follows JOIN */
export function parseJoinQuery(text: string): JoinQuery {
  const bang = text.indexOf('!')
  const spec = bang < 0 ? text : text.slice(0, bang)
  const m = JOIN_SPEC.exec(spec)
  if (!m) throw new EncodedQueryError(0, `JOIN needs "<table>.<field>=<table>.<field>", found "${spec}"`)
  return {
    field: m[2] as string,
    otherTable: m[3] as string,
    otherField: m[4] as string,
    query: parseEncodedQuery(bang < 0 ? '' : text.slice(bang + 1)),
  }
}

export function compareCount(actual: number, comparison: CountComparison, wanted: number): boolean {
  switch (comparison) {
    case '>':
      return actual > wanted
    case '>=':
      return actual >= wanted
    case '<':
      return actual < wanted
    case '<=':
      return actual <= wanted
    case '=':
      return actual === wanted
    default:
      return actual !== wanted
  }
}
