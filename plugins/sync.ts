// The mapping kernel and the sync engine as a plugin: `app.mappings` and `app.runs` (records),
// `app.sync` (saving mappings, starting and cancelling runs, taking change events). Runs are
// jobs in the queue, so any instance may execute them; schedules follow the mappings.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { ConnectionErrors } from '../core/connections/errors.ts'
import { SchemaCatalog } from '../core/mapping/catalog.ts'
import type { MappingEnvironment } from '../core/mapping/prepare.ts'
import { MappingRepository } from '../core/mapping/repository.ts'
import { MappingService } from '../core/mapping/service.ts'
import { ActionsRepository } from '../core/sync/actions.ts'
import { SyncEngine } from '../core/sync/executor.ts'
import { EventListeners } from '../core/sync/event-listeners.ts'
import { ChangeIntake } from '../core/sync/intake.ts'
import { RunService } from '../core/sync/run-service.ts'
import { RunRepository } from '../core/sync/runs-repository.ts'
import { runRefusal } from '../core/custom-connectors/refusal.ts'
import { SYSTEM_ACTOR } from './audit.ts'

export interface SyncServices {
  catalog: SchemaCatalog
  env: MappingEnvironment
  mappingService: MappingService
  engine: SyncEngine
  runService: RunService
  intake: ChangeIntake
  listeners: EventListeners
  actions: ActionsRepository
}

declare module 'fastify' {
  interface FastifyInstance {
    mappings: MappingRepository
    runs: RunRepository
    sync: SyncServices
  }
}

export interface SyncPluginOptions {
  /** test seam: the engine's hooks (crash injection) and clock */
  engine?: Pick<ConstructorParameters<typeof SyncEngine>[0], 'hooks' | 'now'>
}

export default fp(
  async function sync(app: FastifyInstance, options: SyncPluginOptions) {
    const logger = app.log.child({ component: 'sync' })
    const mappings = new MappingRepository(app.db)
    const runs = new RunRepository(app.db)
    const catalog = new SchemaCatalog()
    app.bus.subscribe('connection.changed', (e) => catalog.forget(e.connectionId))

    const env: MappingEnvironment = {
      catalog,
      async resolve(connectionId) {
        let record
        try {
          record = await app.connections.get(connectionId)
        } catch (error) {
          if (error instanceof ConnectionErrors.NOT_FOUND) return undefined
          throw error
        }
        if (!app.connectors.has(record.connector)) return undefined
        // with the connection's custom connectors of the moment, whichever instance added them
        return app.customConnectors.overlay({
          connector: app.connectors.get(record.connector),
          context: await app.connections.resolve(connectionId, logger),
        })
      },
      findMapping: (nameOrId) => mappings.find(nameOrId),
    }
    const engine = new SyncEngine({ db: app.db, runs, bus: app.bus, logger, mappings, env, ...options.engine })
    const runService = new RunService({
      db: app.db,
      runs,
      mappings,
      queue: app.queue,
      engine,
      bus: app.bus,
      logger,
      refusal: (mapping) =>
        runRefusal(
          {
            db: app.db,
            service: app.customConnectors,
            env,
            mappings,
            logger,
            audit: (connector) => (tx, details) =>
              app.audit.log.record(
                {
                  actor: SYSTEM_ACTOR,
                  action: 'custom-connector.rediscover',
                  target: `/api/v1/custom-connectors/${connector.id}`,
                  summary: {
                    ...details,
                    name: connector.name,
                    found: 'at the start of a run of mapping ' + mapping.name,
                  },
                },
                tx,
              ),
          },
          mapping,
        ),
      settings: {
        staleSeconds: app.config.queue.heartbeatSeconds,
        concurrency: app.config.sync.concurrency,
        retentionDays: app.config.sync.runRetentionDays,
      },
    })
    await runService.init()
    const mappingService = new MappingService({
      db: app.db,
      mappings,
      env,
      bus: app.bus,
      isRunning: async (id) => (await runs.list({ mappingId: id, status: 'RUNNING', limit: 1 })).total > 0,
    })
    const intake = new ChangeIntake({ db: app.db, mappings, runs: runService, resolve: (id) => env.resolve(id) })

    const listeners = new EventListeners({ mappings, intake, resolve: (id) => env.resolve(id), logger })

    app.decorate('mappings', mappings)
    app.decorate('runs', runs)
    app.decorate('sync', {
      catalog,
      env,
      mappingService,
      engine,
      runService,
      intake,
      listeners,
      actions: new ActionsRepository(),
    })

    const reconcile = () =>
      app.config.sync.schedules
        ? runService
            .reconcileSchedules()
            .catch((err: unknown) => logger.error({ err }, 'mapping schedules could not be brought in step'))
        : Promise.resolve()
    app.bus.subscribe('mapping.changed', () => void reconcile())
    if (app.config.sync.eventListeners) {
      app.bus.subscribe('mapping.changed', () => void listeners.reconcile())
      app.bus.subscribe('connection.changed', (e) => void listeners.restart(e.connectionId))
    }
    app.addHook('onReady', async () => {
      await reconcile()
      if (app.config.sync.eventListeners) await listeners.reconcile()
    })
    // before the queue stops (onClose runs in reverse order of registration)
    app.addHook('onClose', async () => {
      listeners.stop()
      await runService.stop(Math.max(1000, app.config.timeouts.shutdownMs / 2))
    })
  },
  {
    name: 'crosswalk-sync',
    dependencies: [
      'crosswalk-store',
      'crosswalk-kernel',
      'crosswalk-queue',
      'crosswalk-connections',
      'crosswalk-custom-connectors',
      'crosswalk-audit',
    ],
  },
)
