// The audit log as `app.audit`: every configuration change is recorded with who made it, and so
// is every change the hub refused. Any non-GET request on a protected route is recorded by the
// onSend hook here (before the answer leaves, so a client that saw the answer finds the entry):
// applied when it succeeded, refused when it was answered 4xx, failed when 5xx, with the CW_
// code answered; GraphQL requests only when they run a mutation. A route whose change must be
// recorded with it, in its transaction, passes `app.audit.inTransaction(request)` to the
// repository: the entry commits with the change or not at all. Routes that record more
// precisely call app.audit.record(...) with the request, which replaces the automatic entry,
// or declare `config: { audit: false }`. Summaries are redacted by name and by the secret
// rules modules add (`addSecretRule`: what their schemas mark secret).
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  AuditLog,
  type AuditActor,
  type AuditInput,
  type AuditOutcome,
  type AuditStep,
} from '../core/audit/audit-log.ts'
import { summarise, type SecretRule } from '../core/audit/redact.ts'
import { graphqlAnswerHasData, graphqlMutationOf } from '../core/audit/graphql-mutation.ts'

export interface AuditRecordInput extends Omit<AuditInput, 'actor' | 'requestId'> {
  /** the request that made the change: gives the actor and the request id */
  request?: FastifyRequest
  /** who, when there is no request (jobs, start-up) */
  actor?: AuditActor
}

export interface AuditService {
  log: AuditLog
  record(input: AuditRecordInput): Promise<void>
  /** the entry of `request`, to be written by the repository inside the transaction of its change */
  inTransaction(request: FastifyRequest): AuditStep
  /** a rule that says which values of request bodies are secrets (by their path) */
  addSecretRule(rule: SecretRule): void
}

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditService
  }
  interface FastifyContextConfig {
    /** false: this route's changes are not recorded automatically */
    audit?: boolean
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** the hub itself, for changes no request made */
export const SYSTEM_ACTOR: AuditActor = { id: null, name: 'crosswalk', kind: 'system' }

/** The CW_ code of an error answer: the hub's shape, GraphQL's, or the SailPoint API's header. */
function errorCodeOf(reply: FastifyReply, payload: unknown): string | null {
  const header = reply.getHeader('x-crosswalk-error-code')
  if (typeof header === 'string') return header
  if (typeof payload !== 'string') return null
  try {
    const answer = JSON.parse(payload) as { code?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> }
    const code = answer.code ?? answer.errors?.[0]?.extensions?.code
    return typeof code === 'string' ? code : null
  } catch {
    return null
  }
}

export default fp(
  async function audit(app: FastifyInstance) {
    const log = new AuditLog(app.db)
    const recorded = new WeakSet<FastifyRequest>()
    const rules: SecretRule[] = []
    const secret: SecretRule = (path) => rules.some((rule) => rule(path))

    function actorOf(request: FastifyRequest | undefined): AuditActor {
      const principal = request?.principal
      return principal ? { id: principal.tokenId, name: principal.name, kind: principal.kind } : SYSTEM_ACTOR
    }

    /** What a request did, as an entry; undefined for a GraphQL request that runs no mutation. */
    function entryOf(request: FastifyRequest): Omit<AuditInput, 'actor'> | undefined {
      const route = request.routeOptions.url ?? request.url
      const target = request.url.split('?')[0] ?? route
      const requestId = String(request.id)
      if (route === '/graphql') {
        const mutation = graphqlMutationOf(request.body)
        if (!mutation) return undefined
        // a variable is judged where it is used: $s in `patch: { settings: $s }` is settings
        const inPlace: SecretRule = (path) => {
          const used = path[0] === 'variables' && path[1] !== undefined ? mutation.variablePaths[path[1]] : undefined
          return secret(path) || (used !== undefined && secret([...used, ...path.slice(2)]))
        }
        return {
          action: `graphql mutation ${mutation.fields.join(', ')}`,
          target,
          requestId,
          summary: summarise(route, { variables: mutation.variables }, undefined, inPlace),
        }
      }
      return {
        action: `${request.method} ${route}`,
        target,
        requestId,
        summary: summarise(route, request.body, request.query, secret),
      }
    }

    const service: AuditService = {
      log,
      async record(input) {
        const { request, actor, ...entry } = input
        if (request) recorded.add(request)
        await log.record({ ...entry, actor: actor ?? actorOf(request), requestId: request ? String(request.id) : null })
      },
      inTransaction(request) {
        return async (tx, details) => {
          const entry = entryOf(request)
          if (!entry) return
          await log.record(
            { ...entry, summary: { ...entry.summary, ...details }, actor: actorOf(request), outcome: 'applied' },
            tx,
          )
          // a rolled-back transaction takes the entry with it: the answer is then an error, and
          // the onSend hook records the refusal whatever this says
          recorded.add(request)
        }
      },
      addSecretRule(rule) {
        rules.push(rule)
      },
    }
    app.decorate('audit', service)

    app.addHook('onSend', async (request, reply, payload) => {
      if (READS.has(request.method) || request.is404) return payload
      if (!request.principal || request.routeOptions.config.audit === false) return payload
      // throttled requests are not changes anyone tried to make: recording them would let a
      // flood fill the log
      if (reply.statusCode === 429) return payload
      const isGraphql = (request.routeOptions.url ?? request.url) === '/graphql'
      // a GraphQL query changes nothing: known without reading its answer
      if (isGraphql && !graphqlMutationOf(request.body)) return payload
      let outcome: AuditOutcome = reply.statusCode >= 500 ? 'failed' : reply.statusCode >= 400 ? 'refused' : 'applied'
      if (outcome === 'applied' && isGraphql && !graphqlAnswerHasData(payload)) outcome = 'refused'
      if (outcome === 'applied' && recorded.has(request)) return payload
      let action: string | undefined
      try {
        const entry = entryOf(request)
        if (!entry) return payload
        action = entry.action
        await log.record({
          ...entry,
          actor: actorOf(request),
          outcome,
          errorCode: outcome === 'applied' ? null : errorCodeOf(reply, payload),
        })
      } catch (error) {
        // The answer is decided; losing its entry is reported, not turned into a failed answer.
        request.log.error({ err: error, action }, 'audit entry could not be written')
      }
      return payload
    })
  },
  { name: 'crosswalk-audit', dependencies: ['crosswalk-store', 'crosswalk-auth'] },
)
