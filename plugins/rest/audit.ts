// The audit log over REST (admin only).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { adminErrors } from '../schemas/common.ts'
import { AuditEntry, AuditPage, AuditQuery } from '../schemas/audit.ts'

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(AuditEntry)
  app.get(
    '/audit',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['audit'],
        operationId: 'listAuditEntries',
        summary: 'Configuration changes, newest first: who, what, when, through which request',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...adminErrors },
      },
    },
    async (request) => app.audit.log.list(request.query),
  )
}

export default auditRoutes
