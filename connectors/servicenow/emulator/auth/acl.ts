// Access control like the platform's ACLs, reduced to what integrations run into: a table (and
// the tables extending it) can require roles for read/create/write/delete, optionally only for
// the rows matching an encoded query. `admin` passes every rule; `snc_read_only` users can never
// write. Read rules on rows are applied after the page is cut (the documented "ACLs shorten
// pages" behaviour), by the Table API.
import { matchesEncodedQuery, parseEncodedQuery, type EncodedQuery } from '../../encoded-query/index.ts'
import type { Instance, RecordRef } from '../instance/instance.ts'
import { recordContext } from '../query/record-context.ts'
import type { UserAccount } from './users.ts'

export type AclOperation = 'read' | 'create' | 'write' | 'delete'

export interface AclRule {
  table: string
  operation: AclOperation
  /** roles that pass the rule; empty means nobody but admin */
  roles: string[]
  /** when set, the rule only guards rows matching this encoded query */
  condition?: string
}

interface CompiledRule extends AclRule {
  query: EncodedQuery | undefined
}

export class AccessControl {
  private rules: CompiledRule[] = []
  private readonly instance: Instance

  constructor(instance: Instance) {
    this.instance = instance
  }

  add(rule: AclRule): void {
    this.rules.push({ ...rule, query: rule.condition ? parseEncodedQuery(rule.condition) : undefined })
  }

  clear(): void {
    this.rules = []
  }

  list(): AclRule[] {
    return this.rules.map(({ table, operation, roles, condition }) => ({
      table,
      operation,
      roles,
      ...(condition ? { condition } : {}),
    }))
  }

  /** table-level check (rules without a row condition) */
  canAccessTable(user: UserAccount, table: string, operation: AclOperation): boolean {
    if (user.roles.has('admin')) return true
    if (operation !== 'read' && user.roles.has('snc_read_only')) return false
    return this.applicable(table, operation).every((r) => r.query !== undefined || passes(user, r))
  }

  /** row-level check (rules with a row condition) */
  canAccessRow(user: UserAccount, table: string, operation: AclOperation, ref: RecordRef): boolean {
    if (user.roles.has('admin')) return true
    const rowRules = this.applicable(table, operation).filter((r) => r.query !== undefined)
    if (rowRules.length === 0) return true
    const record = this.instance.values(ref)
    const ctx = recordContext(this.instance, ref.table)
    return rowRules.every((r) => passes(user, r) || !matchesEncodedQuery(r.query as EncodedQuery, record, ctx))
  }

  hasRowRules(table: string, operation: AclOperation): boolean {
    return this.applicable(table, operation).some((r) => r.query !== undefined)
  }

  private applicable(table: string, operation: AclOperation): CompiledRule[] {
    const ancestry = this.instance.schema.table(table)?.ancestry ?? [table]
    return this.rules.filter((r) => r.operation === operation && (r.table === '*' || ancestry.includes(r.table)))
  }
}

const passes = (user: UserAccount, rule: AclRule): boolean => rule.roles.some((role) => user.roles.has(role))
