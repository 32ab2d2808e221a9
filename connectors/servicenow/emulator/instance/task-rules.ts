// The task business logic a base instance runs on every insert and update through an API, so
// clients see the records an instance would give them back:
// - opened_by / opened_at default to the session user and now; an incident's caller to the user;
// - incident_state follows state (and state follows incident_state when only that is written);
// - incident and problem priority come from impact and urgency (the base "Priority Lookup
//   Rules": 1/1 Critical ... 3/3 Planning, https://www.servicenow.com/docs/r/it-service-management/problem-management/prioritise-problems.html
//   and https://www.servicenow.com/docs/r/it-service-management/incident-management/def-prio-lookup-rules.html);
// - a resolved incident gets resolved_at/_by, a closed or canceled task is inactive with
//   closed_at/_by.
import type { Instance, RecordValues } from './instance.ts'

export interface RuleContext {
  userSysId: string
  /** "YYYY-MM-DD HH:mm:ss" UTC */
  now: string
}

/** priority by impact (row) and urgency (column), each 1 High .. 3 Low */
const PRIORITY: Record<string, string> = {
  '1/1': '1',
  '1/2': '2',
  '1/3': '3',
  '2/1': '2',
  '2/2': '3',
  '2/3': '4',
  '3/1': '3',
  '3/2': '4',
  '3/3': '5',
}

/** closed states by task class: the incident's own, problem's, change's, else task's */
const CLOSED: Record<string, ReadonlySet<string>> = {
  incident: new Set(['7', '8']),
  problem: new Set(['107']),
  change_request: new Set(['3', '4']),
  task: new Set(['3', '4', '7']),
}

/**
 * The values to write after the business rules ran: `values` is what the client sent (already
 * stored strings), `previous` the record before an update (undefined on insert).
 */
export function applyTaskRules(
  instance: Instance,
  table: string,
  values: RecordValues,
  previous: RecordValues | undefined,
  ctx: RuleContext,
): RecordValues {
  const schema = instance.schema
  if (!schema.isA(table, 'task')) return values
  const t = instance.table(table)
  const out: RecordValues = { ...values }
  const isIncident = schema.isA(table, 'incident')
  const current = (field: string): string =>
    out[field] ?? previous?.[field] ?? (previous ? '' : (t.fields.get(field)?.defaultValue ?? ''))

  if (!previous) {
    if (!out.opened_by) out.opened_by = ctx.userSysId
    if (!out.opened_at) out.opened_at = ctx.now
    if (isIncident && out.caller_id === undefined) out.caller_id = ctx.userSysId
  }

  if (isIncident) {
    if (values.state !== undefined) out.incident_state = values.state
    else if (values.incident_state !== undefined) out.state = values.incident_state
  }

  if (isIncident || schema.isA(table, 'problem')) {
    const touched = !previous || values.impact !== undefined || values.urgency !== undefined
    const priority = PRIORITY[`${current('impact')}/${current('urgency')}`]
    if (touched && priority !== undefined) out.priority = priority
  }

  const state = current('state')
  const changedState = out.state !== undefined && out.state !== previous?.state
  if (changedState && isIncident && state === '6') {
    if (!current('resolved_at')) out.resolved_at = ctx.now
    if (!current('resolved_by')) out.resolved_by = ctx.userSysId
  }
  const closed = CLOSED[t.ancestry.find((a) => CLOSED[a] !== undefined) ?? 'task']
  if (changedState && closed?.has(state)) {
    out.active = 'false'
    if (!current('closed_at')) out.closed_at = ctx.now
    if (!current('closed_by')) out.closed_by = ctx.userSysId
  }
  return out
}
