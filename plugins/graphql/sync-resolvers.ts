// Resolvers of mappings and runs beyond their records: the same services REST uses.
import type { FastifyInstance } from 'fastify'
import type { MercuriusContext } from 'mercurius'
import { MappingErrors } from '../../core/mapping/errors.ts'
import type { ActionQuery } from '../../core/sync/actions.ts'
import { ACTION_KINDS, ACTION_STATUSES } from '../../core/sync/actions.ts'
import { planOf } from '../rest/run-answers.ts'
import type { MutationResolvers, QueryResolvers, Resolvers, RunActionsArgs } from './resolver-types.ts'

/** whether `value` is one of `values` (action kinds and statuses arrive as free text) */
const oneOf = <T extends string>(values: readonly T[], value: string): value is T => values.some((v) => v === value)

/** whether a JSON value is an object (not an array, not null) */
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** the filters of Run.actions and Query.runActions; what the hub does not know is left out */
function actionQuery(args: RunActionsArgs): ActionQuery {
  const q: ActionQuery = { limit: Math.min(Math.max(args.limit ?? 100, 1), 1000) }
  if (args.action && oneOf(ACTION_KINDS, args.action)) q.action = args.action
  if (args.status && oneOf(ACTION_STATUSES, args.status)) q.status = args.status
  if (args.kind === 'record' || args.kind === 'relation') q.kind = args.kind
  if (args.changedOnly) q.changedOnly = true
  if (args.search) q.search = args.search.slice(0, 200)
  if (args.after) q.after = args.after
  return q
}

const by = (context: MercuriusContext) => context.reply.request.principal?.name ?? null

export function buildSyncResolvers(app: FastifyInstance): {
  Query: QueryResolvers
  Mutation: MutationResolvers
} & Pick<Resolvers, 'Mapping' | 'Run'> {
  return {
    Query: {
      mappingVersion: async (_root, args) => {
        try {
          return await app.sync.mappingService.version(args.id, args.version)
        } catch (error) {
          if (error instanceof MappingErrors.NOT_FOUND || error instanceof MappingErrors.VERSION_NOT_FOUND) return null
          throw error
        }
      },
      mappingDiff: async (_root, args) =>
        (await app.sync.mappingService.diff(args.id, args.from, args.to ?? undefined)).changes,
      runActions: async (_root, args) => {
        await app.runs.get(args.runId)
        return app.sync.actions.list(app.db, args.runId, actionQuery(args))
      },
    },
    Mutation: {
      createMapping: async (_root, args, context) => app.sync.mappingService.create(args.definition, by(context)),
      replaceMapping: async (_root, args, context) =>
        app.sync.mappingService.replace(args.id, args.definition, by(context), args.expectedVersion ?? undefined),
      patchMapping: async (_root, args, context) => {
        const patch = isObject(args.patch) ? args.patch : {}
        return app.sync.mappingService.patch(args.id, patch, by(context), args.expectedVersion ?? undefined)
      },
      deleteMapping: async (_root, args) => {
        await app.sync.mappingService.delete(args.id)
        return true
      },
      validateMapping: async (_root, args) => {
        const { valid, problems } = await app.sync.mappingService.validate(args.definition)
        return { valid, problems }
      },
      restoreMappingVersion: async (_root, args, context) =>
        app.sync.mappingService.restore(args.id, args.version, by(context)),
      createCsdmDefaults: async (_root, args, context) =>
        app.sync.mappingService.createDefaults(
          {
            leanixConnectionId: args.leanixConnectionId,
            servicenowConnectionId: args.servicenowConnectionId,
            ...(args.prefix ? { prefix: args.prefix } : {}),
          },
          by(context),
        ),
      planMapping: async (_root, args) => {
        const run = await app.sync.runService.start(args.id, {
          trigger: 'plan',
          dryRun: true,
          kind: args.kind === 'delta' ? 'delta' : 'full',
          options: args.withoutRelations ? { withoutRelations: true } : {},
        })
        const { finished, plan } = await planOf(app, run.id, Math.min(Math.max(args.wait, 0), 120) * 1000)
        return { ...plan, run: await app.runs.get(run.id), finished }
      },
      startRun: async (_root, args) =>
        app.sync.runService.start(args.mappingId, {
          trigger: 'manual',
          dryRun: args.dryRun,
          kind: args.kind === 'delta' ? 'delta' : 'full',
          options: {
            ...(args.confirmDeletions && !args.dryRun ? { confirmDeletions: true } : {}),
            ...(args.withoutRelations ? { withoutRelations: true } : {}),
          },
        }),
      cancelRun: async (_root, args) => app.sync.runService.cancel(args.id),
    },
    Mapping: {
      versions: async (parent) => app.sync.mappingService.versions(parent.id),
    },
    Run: {
      phase: (parent) => parent.checkpoint?.phase ?? null,
      actions: async (parent, args) => app.sync.actions.list(app.db, parent.id, actionQuery(args)),
    },
  }
}
