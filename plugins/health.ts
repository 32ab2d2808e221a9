// Liveness and readiness. Ready means the store answers, every migration is applied, and the job
// queue is started on this instance and answers (runs, event batches and checks go through it).
import fp from 'fastify-plugin'
import { Type } from 'typebox'
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
          summary: 'The store answers, migrations are applied and the job queue is started and answers',
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
        const queue = await app.queue.health()
        const ok = storeOk && migrationsOk && queue.ok
        return reply.code(ok ? 200 : 503).send({
          status: ok ? 'ok' : 'unavailable',
          checks: {
            store: { ok: storeOk, detail: app.db.kind },
            migrations: { ok: migrationsOk, ...(pending.length ? { detail: `pending: ${pending.join(', ')}` } : {}) },
            queue,
          },
        })
      },
    )
  },
  { name: 'crosswalk-health', dependencies: ['crosswalk-store', 'crosswalk-queue'] },
)
