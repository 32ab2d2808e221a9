// Liveness and readiness. Ready means the store answers and every migration is applied.
import fp from 'fastify-plugin'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'

const Health = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
    checks: Type.Optional(
      Type.Record(Type.String(), Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) })),
    ),
  },
  { title: 'Health' },
)

export default fp(
  async function health(app: FastifyInstance) {
    const config = { public: app.config.publicHealth, role: 'viewer' as const, rateLimitBucket: 'probes' as const }
    app.get(
      '/health/live',
      {
        config,
        schema: {
          tags: ['health'],
          operationId: 'getLiveness',
          summary: 'The process is up',
          response: { 200: Health },
        },
      },
      async () => ({ status: 'ok' as const }),
    )
    app.get(
      '/health/ready',
      {
        config,
        schema: {
          tags: ['health'],
          operationId: 'getReadiness',
          summary: 'The store answers and migrations are applied',
          response: { 200: Health, 503: Health },
        },
      },
      async (_request, reply) => {
        const storeOk = await app.db.ping()
        let pending: number[] = []
        let migrationsOk = false
        if (storeOk) {
          try {
            pending = (await app.migrationStatus()).pending
            migrationsOk = pending.length === 0
          } catch {
            migrationsOk = false
          }
        }
        const ok = storeOk && migrationsOk
        return reply.code(ok ? 200 : 503).send({
          status: ok ? 'ok' : 'unavailable',
          checks: {
            store: { ok: storeOk, detail: app.db.kind },
            migrations: { ok: migrationsOk, ...(pending.length ? { detail: `pending: ${pending.join(', ')}` } : {}) },
          },
        })
      },
    )
  },
  { name: 'crosswalk-health', dependencies: ['crosswalk-store'] },
)
