// Aggregate API statistics (docs/reference/servicenow.md §3.1): count as a string, avg with four decimals, sum,
// min and max per field, optionally grouped; group order by sysparm_order_by or group value.
import { compareForSort } from '../../encoded-query/index.ts'
import type { RecordRef, Instance } from '../instance/instance.ts'

export interface AggregateRequest {
  count: boolean
  avg: string[]
  sum: string[]
  min: string[]
  max: string[]
  groupBy: string[]
}

export type Stats = Record<string, string | Record<string, string>>

export interface Group {
  values: string[]
  stats: Stats
}

const isNum = (v: string): boolean => v !== '' && Number.isFinite(Number(v))

export function computeStats(instance: Instance, refs: RecordRef[], req: AggregateRequest): Stats {
  const stats: Stats = {}
  if (req.count) stats.count = String(refs.length)
  const per = (fields: string[], fn: (values: string[]) => string): Record<string, string> | undefined => {
    if (fields.length === 0) return undefined
    const out: Record<string, string> = {}
    for (const f of fields) out[f] = fn(refs.map((r) => instance.value(r, f)))
    return out
  }
  const avg = per(req.avg, (vs) => {
    const nums = vs.filter(isNum).map(Number)
    return nums.length === 0 ? '' : (nums.reduce((a, b) => a + b, 0) / nums.length).toFixed(4)
  })
  const sum = per(req.sum, (vs) => {
    const nums = vs.filter(isNum).map(Number)
    const total = nums.reduce((a, b) => a + b, 0)
    return nums.length === 0 ? '' : Number.isInteger(total) ? String(total) : total.toFixed(4)
  })
  const pickBy = (sign: number) => (vs: string[]) =>
    vs
      .filter((v) => v !== '')
      .reduce<string>((best, v) => (best === '' || sign * compareForSort(v, best) < 0 ? v : best), '')
  const min = per(req.min, pickBy(1))
  const max = per(req.max, pickBy(-1))
  if (avg) stats.avg = avg
  if (min) stats.min = min
  if (max) stats.max = max
  if (sum) stats.sum = sum
  return stats
}

export function groupRefs(instance: Instance, refs: RecordRef[], groupBy: string[]): Map<string, RecordRef[]> {
  const groups = new Map<string, RecordRef[]>()
  for (const ref of refs) {
    const key = JSON.stringify(groupBy.map((f) => instance.value(ref, f)))
    const list = groups.get(key)
    if (list) list.push(ref)
    else groups.set(key, [ref])
  }
  return groups
}
