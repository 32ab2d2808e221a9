// The change-notification receiver: a system (a ServiceNow business rule, a script) posts which
// records of a connection changed; the mappings that use them get a partial run. The events are
// in the store before the answer (202). Needs an operator token.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ChangeEvent, ChangeOperation } from '../../core/connector/contract.ts'
import { RequestErrors } from '../../core/answer/errors.ts'
import { ErrorRef, IdParams, adminErrors } from '../schemas/common.ts'
import { ChangesAccepted, ChangesBody } from '../schemas/mappings.ts'

const OPS: Record<string, ChangeOperation> = { insert: 'create', create: 'create', update: 'update', delete: 'delete' }

const changeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/connections/:id/changes',
    {
      config: { role: 'operator' },
      schema: {
        tags: ['connections'],
        operationId: 'reportChanges',
        summary:
          'Tell the hub that records of this connection changed (e.g. from a ServiceNow business rule); mappings using them sync those records',
        params: IdParams,
        body: ChangesBody,
        response: { 202: ChangesAccepted, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      await app.connections.get(request.params.id)
      const list = request.body.events ?? [request.body]
      const events: ChangeEvent[] = list.map((e, i) => {
        const entity = e.entity ?? e.table
        const id = e.id ?? e.sys_id
        if (!entity || !id)
          throw new RequestErrors.VALIDATION(`event ${i} needs an entity (or table) and an id (or sys_id)`)
        const actor = e.actor ?? e.sys_updated_by
        return { entity, id, op: OPS[e.op ?? e.operation ?? 'update'] ?? 'update', ...(actor ? { actor } : {}) }
      })
      return reply.code(202).send(await app.sync.intake.accept(request.params.id, events))
    },
  )
}

export default changeRoutes
