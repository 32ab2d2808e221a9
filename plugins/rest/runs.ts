// Runs over REST: history (filter by mapping, status, trigger), one run, its per-record actions
// (paged, filterable), and cancel.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorRef, IdParams, adminErrors } from '../schemas/common.ts'
import { ActionList, ActionQuery, RunList, RunListQuery } from '../schemas/mappings.ts'
import { toRunAnswer } from './run-answers.ts'

const runRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const RunRef = Type.Ref('Run')

  app.get(
    '/runs',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['runs'],
        operationId: 'listRuns',
        summary: 'Run history, newest first',
        querystring: RunListQuery,
        response: { 200: RunList, ...adminErrors },
      },
    },
    async (request) => {
      const { items, total } = await app.runs.list(request.query)
      return { items: items.map(toRunAnswer), total }
    },
  )

  app.get(
    '/runs/:id',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['runs'],
        operationId: 'getRun',
        summary: 'One run: status, counts, phase, message',
        params: IdParams,
        response: { 200: RunRef, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request) => toRunAnswer(await app.runs.get(request.params.id)),
  )

  app.get(
    '/runs/:id/actions',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['runs'],
        operationId: 'listRunActions',
        summary: 'Per-record actions of a run with field-level before/after, in order, paged by `after`',
        params: IdParams,
        querystring: ActionQuery,
        response: { 200: ActionList, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request) => {
      await app.runs.get(request.params.id)
      return app.sync.actions.list(app.db, request.params.id, request.query)
    },
  )

  app.post(
    '/runs/:id/cancel',
    {
      config: { role: 'operator' },
      schema: {
        tags: ['runs'],
        operationId: 'cancelRun',
        summary:
          'Cancel a run: a queued one at once, a running one at its next page boundary (the next full run resumes it)',
        params: IdParams,
        response: { 202: RunRef, 404: ErrorRef, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => reply.code(202).send(toRunAnswer(await app.sync.runService.cancel(request.params.id))),
  )
}

export default runRoutes
