// Resolvers of mappings and runs beyond their records: the same services REST uses.
import type { FastifyInstance } from 'fastify'
import type { MappingRecord } from '../../core/mapping/repository.ts'
import type { ActionQuery } from '../../core/sync/actions.ts'
import { ACTION_KINDS, ACTION_STATUSES } from '../../core/sync/actions.ts'
import type { RunKind, RunRecord } from '../../core/sync/runs-repository.ts'
import { planOf } from '../rest/run-answers.ts'
import { requireRole, type GraphqlContext } from './resolvers.ts'

interface ActionArgs {
  action?: string | null
  status?: string | null
  kind?: string | null
  changedOnly?: boolean | null
  after?: string | null
  limit?: number | null
}

function actionQuery(args: ActionArgs): ActionQuery {
  const q: ActionQuery = { limit: Math.min(Math.max(args.limit ?? 100, 1), 1000) }
  if (args.action && (ACTION_KINDS as readonly string[]).includes(args.action))
    q.action = args.action as ActionQuery['action']
  if (args.status && (ACTION_STATUSES as readonly string[]).includes(args.status))
    q.status = args.status as ActionQuery['status']
  if (args.kind === 'record' || args.kind === 'relation') q.kind = args.kind
  if (args.changedOnly) q.changedOnly = true
  if (args.after) q.after = args.after
  return q
}

const by = (context: unknown) =>
  ((context as GraphqlContext).reply.request as { principal?: { name: string } }).principal?.name ?? null

export function buildSyncResolvers(app: FastifyInstance) {
  return {
    Query: {
      mappingVersion: async (_root: unknown, args: { id: string; version: number }) => {
        try {
          return await app.sync.mappingService.version(args.id, args.version)
        } catch (error) {
          if (
            ['CW_MAPPING_NOT_FOUND', 'CW_MAPPING_VERSION_NOT_FOUND'].includes((error as { code?: string }).code ?? '')
          )
            return null
          throw error
        }
      },
      mappingDiff: async (_root: unknown, args: { id: string; from: number; to?: number | null }) =>
        (await app.sync.mappingService.diff(args.id, args.from, args.to ?? undefined)).changes,
      runActions: async (_root: unknown, args: ActionArgs & { runId: string }) => {
        await app.runs.get(args.runId)
        return app.sync.actions.list(app.db, args.runId, actionQuery(args))
      },
    },
    Mutation: {
      createMapping: async (_root: unknown, args: { definition: unknown }, context: unknown) => {
        requireRole(context as GraphqlContext, 'admin')
        return app.sync.mappingService.create(args.definition, by(context))
      },
      replaceMapping: async (
        _root: unknown,
        args: { id: string; definition: unknown; expectedVersion?: number | null },
        context: unknown,
      ) => {
        requireRole(context as GraphqlContext, 'admin')
        return app.sync.mappingService.replace(args.id, args.definition, by(context), args.expectedVersion ?? undefined)
      },
      patchMapping: async (
        _root: unknown,
        args: { id: string; patch: Record<string, unknown>; expectedVersion?: number | null },
        context: unknown,
      ) => {
        requireRole(context as GraphqlContext, 'admin')
        const patch =
          typeof args.patch === 'object' && args.patch !== null && !Array.isArray(args.patch) ? args.patch : {}
        return app.sync.mappingService.patch(args.id, patch, by(context), args.expectedVersion ?? undefined)
      },
      deleteMapping: async (_root: unknown, args: { id: string }, context: unknown) => {
        requireRole(context as GraphqlContext, 'admin')
        await app.sync.mappingService.delete(args.id)
        return true
      },
      validateMapping: async (_root: unknown, args: { definition: unknown }, context: unknown) => {
        requireRole(context as GraphqlContext, 'operator')
        const { valid, problems } = await app.sync.mappingService.validate(args.definition)
        return { valid, problems }
      },
      restoreMappingVersion: async (_root: unknown, args: { id: string; version: number }, context: unknown) => {
        requireRole(context as GraphqlContext, 'admin')
        return app.sync.mappingService.restore(args.id, args.version, by(context))
      },
      createCsdmDefaults: async (
        _root: unknown,
        args: { leanixConnectionId: string; servicenowConnectionId: string; prefix?: string | null },
        context: unknown,
      ) => {
        requireRole(context as GraphqlContext, 'admin')
        return app.sync.mappingService.createDefaults(
          {
            leanixConnectionId: args.leanixConnectionId,
            servicenowConnectionId: args.servicenowConnectionId,
            ...(args.prefix ? { prefix: args.prefix } : {}),
          },
          by(context),
        )
      },
      planMapping: async (
        _root: unknown,
        args: { id: string; kind: RunKind; withoutRelations: boolean; wait: number },
        context: unknown,
      ) => {
        requireRole(context as GraphqlContext, 'operator')
        const run = await app.sync.runService.start(args.id, {
          trigger: 'plan',
          dryRun: true,
          kind: args.kind === 'delta' ? 'delta' : 'full',
          options: args.withoutRelations ? { withoutRelations: true } : {},
        })
        const { finished, plan } = await planOf(app, run.id, Math.min(Math.max(args.wait, 0), 120) * 1000)
        return { ...plan, run: await app.runs.get(run.id), finished }
      },
      startRun: async (
        _root: unknown,
        args: {
          mappingId: string
          kind: RunKind
          dryRun: boolean
          confirmDeletions: boolean
          withoutRelations: boolean
        },
        context: unknown,
      ) => {
        requireRole(context as GraphqlContext, 'operator')
        return app.sync.runService.start(args.mappingId, {
          trigger: 'manual',
          dryRun: args.dryRun,
          kind: args.kind === 'delta' ? 'delta' : 'full',
          options: {
            ...(args.confirmDeletions && !args.dryRun ? { confirmDeletions: true } : {}),
            ...(args.withoutRelations ? { withoutRelations: true } : {}),
          },
        })
      },
      cancelRun: async (_root: unknown, args: { id: string }, context: unknown) => {
        requireRole(context as GraphqlContext, 'operator')
        return app.sync.runService.cancel(args.id)
      },
    },
    Mapping: {
      versions: async (parent: MappingRecord) => app.sync.mappingService.versions(parent.id),
    },
    Run: {
      phase: (parent: RunRecord) => parent.checkpoint?.phase ?? null,
      actions: async (parent: RunRecord, args: ActionArgs) =>
        app.sync.actions.list(app.db, parent.id, actionQuery(args)),
    },
  }
}
