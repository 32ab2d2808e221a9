// Inbound REST rate-limit rules (sys_rate_limit_rules, docs/reference/servicenow.md §1.7): per user, per role or
// for all users, N requests per hour on a REST resource, counted in fixed windows. Precedence:
// a single-user rule beats role rules, which beat all-users rules; among role rules the lowest
// limit wins. While a rule applies every answer carries X-RateLimit-Limit / -Reset / -Rule; a
// request over the limit gets 429 with Retry-After. No rule, no headers.
import { randomBytes } from 'node:crypto'
import type { UserAccount } from '../auth/users.ts'

export interface RateLimitRule {
  sysId?: string
  /** exactly one of user / role / allUsers */
  user?: string
  role?: string
  allUsers?: boolean
  /** requests per window */
  limit: number
  /** REST resource label used in the 429 detail, e.g. "Table API" */
  resource?: string
  /** only requests whose path starts with this (e.g. /api/now/table/incident); default every API */
  pathPrefix?: string
  method?: string
  /** window length; the platform's is one hour, tests shorten it */
  windowSeconds?: number
}

interface ActiveRule extends Required<Pick<RateLimitRule, 'limit' | 'windowSeconds' | 'resource'>> {
  sysId: string
  rule: RateLimitRule
}

export interface RateDecision {
  headers: Record<string, string>
  /** set when the request is over the limit */
  rejected?: { limit: number; resource: string; retryAfter: number }
}

export class RateLimiter {
  private rules: ActiveRule[] = []
  private readonly counters = new Map<string, { window: number; count: number }>()
  private readonly now: () => number

  constructor(now: () => number) {
    this.now = now
  }

  add(rule: RateLimitRule): string {
    const sysId = rule.sysId ?? randomBytes(16).toString('hex')
    this.rules.push({
      sysId,
      rule,
      limit: rule.limit,
      windowSeconds: rule.windowSeconds ?? 3600,
      resource: rule.resource ?? 'Table API',
    })
    return sysId
  }

  clear(): void {
    this.rules = []
    this.counters.clear()
  }

  list(): Array<RateLimitRule & { sysId: string }> {
    return this.rules.map((r) => ({ ...r.rule, sysId: r.sysId }))
  }

  check(user: UserAccount, method: string, path: string): RateDecision {
    const rule = this.select(user, method, path)
    if (!rule) return { headers: {} }
    const windowMs = rule.windowSeconds * 1000
    const now = this.now()
    const window = Math.floor(now / windowMs)
    const resetAt = (window + 1) * windowMs
    const key = `${rule.sysId}\u0000${user.userName}`
    const counter = this.counters.get(key)
    const current = counter && counter.window === window ? counter : { window, count: 0 }
    current.count++
    this.counters.set(key, current)
    const headers = {
      'x-ratelimit-limit': String(rule.limit),
      'x-ratelimit-reset': String(Math.ceil(resetAt / 1000)),
      'x-ratelimit-rule': rule.sysId,
    }
    if (current.count <= rule.limit) return { headers }
    return {
      headers,
      rejected: {
        limit: rule.limit,
        resource: rule.resource,
        retryAfter: Math.max(1, Math.ceil((resetAt - now) / 1000)),
      },
    }
  }

  private select(user: UserAccount, method: string, path: string): ActiveRule | undefined {
    const applies = this.rules.filter(
      (r) =>
        (!r.rule.pathPrefix || path.startsWith(r.rule.pathPrefix)) &&
        (!r.rule.method || r.rule.method.toUpperCase() === method),
    )
    const byUser = applies.find((r) => r.rule.user === user.userName)
    if (byUser) return byUser
    const byRole = applies
      .filter((r) => r.rule.role !== undefined && user.roles.has(r.rule.role))
      .sort((a, b) => a.limit - b.limit)[0]
    if (byRole) return byRole
    return applies.find((r) => r.rule.allUsers)
  }
}
