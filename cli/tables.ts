// What the CLI prints, as tables (cli-table3) without colours, so that a terminal and a pipe get
// the same text.
import Table from 'cli-table3'
import type { Advice, FlowApplied, Mapping, Run, RunAction } from './answers.ts'

function table(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] } })
}

/** A value cut to `max` characters, for cells. */
function cell(value: unknown, max = 40): string {
  const text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value)
  const flat = text.replace(/\s+/g, ' ')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

export function durationOf(run: Pick<Run, 'startedAt' | 'finishedAt'>, now = Date.now()): string {
  if (!run.startedAt) return ''
  const ms = (run.finishedAt ? Date.parse(run.finishedAt) : now) - Date.parse(run.startedAt)
  if (!Number.isFinite(ms) || ms < 0) return ''
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`
}

export function mappingsTable(mappings: Mapping[]): string {
  const t = table(['name', 'id', 'enabled', 'mode', 'source -> target', 'version'])
  for (const m of mappings)
    t.push([m.name, m.id, m.enabled ? 'yes' : 'no', m.mode, `${m.sourceEntity} -> ${m.targetEntity}`, m.version])
  return t.toString()
}

export function runsTable(runs: Run[], mappingNames: Map<string, string>): string {
  const t = table(['run', 'mapping', 'status', 'kind', 'trigger', 'queued', 'duration', 'read', 'changed', 'failed'])
  for (const r of runs) {
    const c = r.counts
    const changed = (c.created ?? 0) + (c.updated ?? 0) + (c.deleted ?? 0) + (c.linked ?? 0)
    t.push([
      r.id,
      cell(mappingNames.get(r.mappingId) ?? r.mappingId, 30),
      r.dryRun ? `${r.status} (plan)` : r.status,
      r.kind,
      r.trigger,
      r.queuedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      durationOf(r),
      c.read ?? 0,
      changed,
      c.failed ?? 0,
    ])
  }
  return t.toString()
}

/** The end of a run: what ran, how it ended, and every count. */
export function runSummary(run: Run, mapping: Pick<Mapping, 'name'>): string {
  const about = table(['run', 'mapping', 'status', 'kind', 'duration'])
  about.push([run.id, mapping.name, run.dryRun ? `${run.status} (plan)` : run.status, run.kind, durationOf(run)])
  const counts = table(['count', ''])
  for (const [name, value] of Object.entries(run.counts)) counts.push([name, value])
  const lines = [about.toString(), counts.toString()]
  if (run.message) lines.push(`message: ${run.message}`)
  return lines.join('\n')
}

/** A plan's changes: one row per field change, or one per action that has none (links, creates of relations...). */
export function planTable(actions: RunAction[]): string {
  const t = table(['action', 'record', 'side', 'field', 'before', 'after'])
  for (const a of actions) {
    const record = cell(a.display ?? a.sourceId ?? a.targetId, 30)
    const action = a.kind === 'relation' ? `${a.action} relation` : a.action
    const skipped = a.status === 'SKIPPED' || a.status === 'WARNING' || a.status === 'ERROR'
    const label = skipped ? `${action} (${a.status})` : action
    const changes = a.changes ?? []
    if (changes.length === 0) {
      t.push([label, record, a.side, '', '', cell(a.message)])
      continue
    }
    changes.forEach((c, i) =>
      t.push([i === 0 ? label : '', i === 0 ? record : '', c.side, c.field, cell(c.before), cell(c.after)]),
    )
  }
  return t.toString()
}

const FLOW_NAMES: Record<Advice['flow'], string> = {
  samPro: 'SAM Pro: IT components (software) from software discovery models under a filter',
  sam: 'SAM: IT components (software) from software product models, linked through installations',
  legacy: 'legacy software management: IT components (software) from software packages',
  none: 'none: applications and business capabilities only',
}

/** The sizing advisor's answer: the flow, why, what to watch, and the counts behind it. */
export function adviceText(advice: Advice, connectionName: string): string {
  const lines = [`Recommended flow for ${connectionName}: ${FLOW_NAMES[advice.flow]}`]
  lines.push(`Hardware IT components: ${advice.hardware ? 'yes' : 'no'}`, '', 'Why:')
  for (const reason of advice.reasons) lines.push(`  - ${reason}`)
  if (advice.warnings.length) {
    lines.push('', 'Look at:')
    for (const warning of advice.warnings) lines.push(`  - ${warning}`)
  }
  const counts = table(['counted', 'rows'])
  for (const [name, value] of Object.entries(advice.numbers))
    counts.push([name, value === null ? 'not readable' : value.toLocaleString('en-US')])
  const modules = table(['module', 'present', 'evidence'])
  for (const [name, m] of Object.entries(advice.modules))
    modules.push([name, m.present ? 'yes' : 'no', cell(m.evidence, 70)])
  lines.push(
    '',
    counts.toString(),
    `Modules (from ${advice.modulesFrom === 'plugins' ? 'the plugin list' : 'the data'}):`,
  )
  lines.push(modules.toString(), `${advice.requests} requests, ${advice.tookMs} ms`)
  return lines.join('\n')
}

/** What applying a flow did to the mappings. */
export function appliedText(applied: FlowApplied): string {
  const t = table(['mapping', 'now'])
  for (const [state, refs] of [
    ['created', applied.created],
    ['enabled again', applied.enabled],
    ['disabled', applied.disabled],
    ['unchanged', applied.unchanged],
  ] as const)
    for (const m of refs) t.push([m.name, state])
  return `Applied the ${applied.flow} flow${applied.hardware ? ' with hardware' : ''}:\n${t.toString()}`
}
