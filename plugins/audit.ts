// The audit log as `app.audit`: every configuration change is recorded with who made it. Any
// non-GET request on a protected route that succeeds is recorded by the onSend hook here (before
// the answer leaves, so a client that saw success finds the entry); GraphQL requests only when
// they run a mutation. Routes that record more precisely call app.audit.record(...) with the
// request, which replaces the automatic entry, or declare `config: { audit: false }`.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AuditLog, type AuditActor, type AuditInput } from '../core/audit/audit-log.ts'
import { summarise } from '../core/audit/redact.ts'
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
const SYSTEM: AuditActor = { id: null, name: 'crosswalk', kind: 'system' }

export default fp(
  async function audit(app: FastifyInstance) {
    const log = new AuditLog(app.db)
    const recorded = new WeakSet<FastifyRequest>()

    function actorOf(request: FastifyRequest | undefined): AuditActor {
      const principal = request?.principal
      return principal ? { id: principal.tokenId, name: principal.name, kind: principal.kind } : SYSTEM
    }

    const service: AuditService = {
      log,
      async record(input) {
        const { request, actor, ...entry } = input
        if (request) recorded.add(request)
        await log.record({ ...entry, actor: actor ?? actorOf(request), requestId: request ? String(request.id) : null })
      },
    }
    app.decorate('audit', service)

    app.addHook('onSend', async (request, reply, payload) => {
      if (READS.has(request.method) || reply.statusCode >= 400 || request.is404) return payload
      if (!request.principal || recorded.has(request) || request.routeOptions.config.audit === false) return payload
      const route = request.routeOptions.url ?? request.url
      const target = request.url.split('?')[0] ?? route
      let entry: Omit<AuditInput, 'actor'>
      if (route === '/graphql') {
        const mutation = graphqlMutationOf(request.body)
        if (!mutation || !graphqlAnswerHasData(payload)) return payload
        entry = {
          action: `graphql mutation ${mutation.fields.join(', ')}`,
          target,
          summary: summarise(route, { variables: mutation.variables }, undefined),
        }
      } else {
        entry = { action: `${request.method} ${route}`, target, summary: summarise(route, request.body, request.query) }
      }
      try {
        await log.record({ ...entry, actor: actorOf(request), requestId: String(request.id) })
      } catch (error) {
        // The change is made; losing its entry is reported, not turned into a failed answer.
        request.log.error({ err: error, action: entry.action }, 'audit entry could not be written')
      }
      return payload
    })
  },
  { name: 'crosswalk-audit', dependencies: ['crosswalk-store', 'crosswalk-auth'] },
)
