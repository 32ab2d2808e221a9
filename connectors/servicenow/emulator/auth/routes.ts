// POST /oauth_token.do: form-encoded only (a JSON body fails like every other error does).
import type { FastifyInstance } from 'fastify'
import type { ServiceNowEmulator } from '../emulator.ts'
import { OAUTH_FAILURE } from './oauth.ts'

export function registerOAuth(app: FastifyInstance, emulator: ServiceNowEmulator): void {
  app.post('/oauth_token.do', async (request, reply) => {
    const contentType = request.headers['content-type'] ?? ''
    const form = /application\/x-www-form-urlencoded/i.test(contentType)
      ? new URLSearchParams(typeof request.body === 'string' ? request.body : '')
      : undefined
    const token = form ? emulator.oauth.grant(form) : undefined
    reply.header('cache-control', 'no-store').header('content-type', 'application/json;charset=UTF-8')
    if (!token) return reply.code(401).send(JSON.stringify(OAUTH_FAILURE))
    return reply.code(200).send(JSON.stringify(token))
  })
}
