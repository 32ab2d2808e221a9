// People subscribed to a fact sheet (RESPONSIBLE / ACCOUNTABLE / OBSERVER with roles). They are
// not patches but their own mutations, so a desired list is diffed against the current one and
// the difference sent as aliased createSubscription / deleteSubscription calls.
import { LeanixErrors } from '../errors.ts'
import { isGraphqlError, type GraphqlClient } from './graphql.ts'
import type { WriteError } from './writer.ts'

export interface SubscriptionRecord {
  id?: string
  type: string
  user: { id?: string; email?: string }
  roles?: Array<{ id: string; name?: string; comment?: string | null }>
}

export interface SubscriptionWork {
  key: string
  factSheetId: string
  desired: unknown
  current: unknown
}

export interface SubscriptionStats {
  created: number
  deleted: number
}

const TYPES = new Set(['RESPONSIBLE', 'ACCOUNTABLE', 'OBSERVER'])

/** Brings each fact sheet's subscriptions to the desired list; returns failures by item key. */
export async function syncSubscriptions(
  gql: GraphqlClient,
  work: SubscriptionWork[],
  options: { batchSize: number; signal?: AbortSignal },
  stats: SubscriptionStats,
): Promise<Map<string, WriteError>> {
  const failures = new Map<string, WriteError>()
  const calls: Array<{ key: string; field: string; kind: 'created' | 'deleted' }> = []
  for (const w of work) {
    try {
      const desired = subscriptionList(w.desired, w.key)
      const current = subscriptionList(w.current, w.key)
      for (const c of current) {
        if (!desired.some((d) => sameSubscription(c, d)) && c.id) {
          calls.push({ key: w.key, field: `deleteSubscription(id: ${gqlString(c.id)}) { id }`, kind: 'deleted' })
        }
      }
      for (const d of desired) {
        if (current.some((c) => sameSubscription(c, d))) continue
        const user = d.user.id ? `{ id: ${gqlString(d.user.id)} }` : `{ email: ${gqlString(d.user.email ?? '')} }`
        const roles = d.roles?.length ? `, roles: [${d.roles.map((r) => `{ id: ${gqlString(r.id)} }`).join(', ')}]` : ''
        calls.push({
          key: w.key,
          field: `createSubscription(factSheetId: ${gqlString(w.factSheetId)}, user: ${user}, type: ${d.type}${roles}) { id }`,
          kind: 'created',
        })
      }
    } catch (err) {
      failures.set(w.key, {
        code: (err as { code?: string }).code ?? 'CW_LX_CHANGE_INVALID',
        message: (err as Error).message,
        retryable: false,
      })
    }
  }
  for (let i = 0; i < calls.length; i += options.batchSize) {
    const chunk = calls.slice(i, i + options.batchSize)
    await sendChunk(gql, chunk, options.signal, failures, stats)
  }
  return failures
}

async function sendChunk(
  gql: GraphqlClient,
  chunk: Array<{ key: string; field: string; kind: 'created' | 'deleted' }>,
  signal: AbortSignal | undefined,
  failures: Map<string, WriteError>,
  stats: SubscriptionStats,
): Promise<void> {
  const document = `mutation CrosswalkSubscriptions { ${chunk.map((c, i) => `s${i}: ${c.field}`).join(' ')} }`
  try {
    await gql.request(document, {}, { mutation: true, signal })
    for (const c of chunk) stats[c.kind]++
  } catch (err) {
    if (chunk.length > 1 && isGraphqlError(err)) {
      // all-or-nothing: find the bad one by sending each alone
      for (const c of chunk) await sendChunk(gql, [c], signal, failures, stats)
      return
    }
    const first = chunk[0]
    if (first) {
      const e = err as { code?: string; message?: string }
      failures.set(first.key, { code: e.code ?? 'CW_LX_GRAPHQL', message: e.message ?? String(err), retryable: false })
    }
  }
}

function subscriptionList(value: unknown, key: string): SubscriptionRecord[] {
  const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]
  return list.map((s) => {
    const o = s as Record<string, unknown>
    const type = String(o.type ?? '').toUpperCase()
    if (!TYPES.has(type))
      throw new LeanixErrors.CHANGE_INVALID(key, `subscription type must be RESPONSIBLE, ACCOUNTABLE or OBSERVER`)
    const user = (
      typeof o.user === 'object' && o.user !== null ? o.user : { email: o.email }
    ) as SubscriptionRecord['user']
    if (!user.id && !user.email)
      throw new LeanixErrors.CHANGE_INVALID(key, 'a subscription needs user.id or user.email')
    const roles = Array.isArray(o.roles) ? (o.roles as SubscriptionRecord['roles']) : undefined
    return { id: typeof o.id === 'string' ? o.id : undefined, type, user, roles }
  })
}

function sameSubscription(a: SubscriptionRecord, b: SubscriptionRecord): boolean {
  const sameUser =
    (a.user.id !== undefined && a.user.id === b.user.id) ||
    (a.user.email !== undefined && a.user.email?.toLowerCase() === b.user.email?.toLowerCase())
  const roleIds = (s: SubscriptionRecord) =>
    (s.roles ?? [])
      .map((r) => r.id)
      .sort()
      .join(',')
  return sameUser && a.type === b.type && roleIds(a) === roleIds(b)
}

/** A GraphQL string literal (JSON string syntax is valid GraphQL string syntax). */
function gqlString(s: string): string {
  return JSON.stringify(s)
}
