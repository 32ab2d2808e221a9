// Mappings over REST: create, read, replace, patch, delete, validate, versions (list, read, diff,
// restore), the CSDM defaults for two connections, plans (dry runs) and runs. Viewers read,
// operators plan and run, admins configure.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { MappingRecord } from '../../core/mapping/repository.ts'
import { SyncErrors } from '../../core/sync/errors.ts'
import { ErrorRef, IdParams, RefTo, adminErrors } from '../schemas/common.ts'
import {
  DefaultsRequest,
  DefinitionDiff,
  DiffQuery,
  IfMatch,
  Mapping,
  MappingDefinition,
  MappingList,
  MappingListQuery,
  MappingPatch,
  MappingVersion,
  Plan,
  PlanRequest,
  Run,
  StartRun,
  ValidationResult,
  VersionList,
  VersionParams,
} from '../schemas/mappings.ts'
import { planOf, toRunAnswer } from './run-answers.ts'

function expectedVersion(header: string | undefined): number | undefined {
  if (!header) return undefined
  const digits = header.replace(/^W\//, '').replaceAll('"', '')
  return Number(digits)
}

const etag = (m: MappingRecord) => `"${m.version}"`

const mappingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const MappingRef = RefTo(Mapping)
  const RunRef = RefTo(Run)
  const by = (request: { principal?: { name: string } }) => request.principal?.name ?? null

  app.get(
    '/mappings',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['mappings'],
        operationId: 'listMappings',
        summary: 'List mappings',
        querystring: MappingListQuery,
        response: { 200: MappingList, ...adminErrors },
      },
    },
    async (request) => app.mappings.list(request.query),
  )

  app.post(
    '/mappings',
    {
      config: { role: 'admin', bodyCheckedByKernel: true },
      schema: {
        tags: ['mappings'],
        operationId: 'createMapping',
        summary: 'Create a mapping; it is validated against both connections (problems answer 400 with JSON pointers)',
        body: RefTo(MappingDefinition),
        response: { 201: MappingRef, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      const created = await app.sync.mappingService.create(request.body, by(request))
      return reply
        .code(201)
        .header('location', `/api/v1/mappings/${created.id}`)
        .header('etag', etag(created))
        .send(created)
    },
  )

  app.post(
    '/mappings/validate',
    {
      config: { role: 'operator', audit: false },
      schema: {
        tags: ['mappings'],
        operationId: 'validateMapping',
        summary: 'Check a mapping definition without saving it: every problem with its JSON pointer',
        body: Type.Unknown({
          description: 'a MappingDefinition (checked here, so a malformed one gets its problems listed too)',
        }),
        response: { 200: ValidationResult, ...adminErrors },
      },
    },
    async (request) => {
      const { valid, problems } = await app.sync.mappingService.validate(request.body)
      return { valid, problems }
    },
  )

  app.post(
    '/mappings/defaults',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['mappings'],
        operationId: 'createDefaultMappings',
        summary:
          'Create the CSDM 4.0 default mappings (applications, business capabilities) between a LeanIX and a ServiceNow connection',
        body: DefaultsRequest,
        response: { 201: MappingList, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      const created = await app.sync.mappingService.createDefaults(request.body, by(request))
      return reply.code(201).send({ items: created, total: created.length })
    },
  )

  app.get(
    '/mappings/:id',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['mappings'],
        operationId: 'getMapping',
        summary: 'One mapping (its ETag is its version)',
        params: IdParams,
        response: { 200: MappingRef, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      const mapping = await app.mappings.get(request.params.id)
      return reply.header('etag', etag(mapping)).send(mapping)
    },
  )

  app.put(
    '/mappings/:id',
    {
      config: { role: 'admin', bodyCheckedByKernel: true },
      schema: {
        tags: ['mappings'],
        operationId: 'replaceMapping',
        summary: 'Replace a mapping definition (a new version; If-Match guards against lost updates)',
        params: IdParams,
        headers: IfMatch,
        body: RefTo(MappingDefinition),
        response: { 200: MappingRef, 404: ErrorRef, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      const updated = await app.sync.mappingService.replace(
        request.params.id,
        request.body,
        by(request),
        expectedVersion(request.headers['if-match']),
      )
      return reply.header('etag', etag(updated)).send(updated)
    },
  )

  app.patch(
    '/mappings/:id',
    {
      config: { role: 'admin', bodyCheckedByKernel: true },
      schema: {
        tags: ['mappings'],
        operationId: 'patchMapping',
        summary: 'Change top-level members of a mapping (e.g. {"enabled": false}); a new version',
        params: IdParams,
        headers: IfMatch,
        body: MappingPatch,
        response: { 200: MappingRef, 404: ErrorRef, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      const updated = await app.sync.mappingService.patch(
        request.params.id,
        request.body,
        by(request),
        expectedVersion(request.headers['if-match']),
      )
      return reply.header('etag', etag(updated)).send(updated)
    },
  )

  app.delete(
    '/mappings/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['mappings'],
        operationId: 'deleteMapping',
        summary: 'Delete a mapping with its links and run history (the systems keep their records)',
        params: IdParams,
        response: { 204: Type.Null(), 404: ErrorRef, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      await app.sync.mappingService.delete(request.params.id)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/mappings/:id/versions',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['mappings'],
        operationId: 'listMappingVersions',
        summary: 'Saved versions of a mapping, newest first',
        params: IdParams,
        response: { 200: VersionList, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request) => {
      const versions = await app.sync.mappingService.versions(request.params.id)
      return { items: versions.map(({ definition: _d, mappingId: _m, ...v }) => v), total: versions.length }
    },
  )

  app.get(
    '/mappings/:id/versions/:version',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['mappings'],
        operationId: 'getMappingVersion',
        summary: 'One saved version of a mapping, with its definition',
        params: VersionParams,
        response: { 200: MappingVersion, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request) => {
      const { mappingId: _m, ...version } = await app.sync.mappingService.version(
        request.params.id,
        request.params.version,
      )
      return version
    },
  )

  app.get(
    '/mappings/:id/versions/:version/diff',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['mappings'],
        operationId: 'diffMappingVersion',
        summary: 'What changed from this version to the current one (or `to`), field by field',
        params: VersionParams,
        querystring: DiffQuery,
        response: { 200: DefinitionDiff, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request) => app.sync.mappingService.diff(request.params.id, request.params.version, request.query.to),
  )

  app.post(
    '/mappings/:id/versions/:version/restore',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['mappings'],
        operationId: 'restoreMappingVersion',
        summary: 'Save an earlier version as the newest one (validated again)',
        params: VersionParams,
        response: { 200: MappingRef, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      const restored = await app.sync.mappingService.restore(request.params.id, request.params.version, by(request))
      return reply.header('etag', etag(restored)).send(restored)
    },
  )

  app.post(
    '/mappings/:id/plan',
    {
      config: { role: 'operator', audit: false },
      schema: {
        tags: ['mappings'],
        operationId: 'planMapping',
        summary:
          'Plan a sync (a dry run): what would be created, updated, deleted, linked or left unchanged, field by field; nothing is written',
        params: IdParams,
        body: Type.Optional(PlanRequest),
        response: { 200: Plan, 202: Plan, 404: ErrorRef, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {}
      const run = await app.sync.runService.start(request.params.id, {
        trigger: 'plan',
        dryRun: true,
        kind: body.kind ?? 'full',
        options: body.withoutRelations ? { withoutRelations: true } : {},
      })
      const wait = body.wait ?? 30
      const { finished, plan } = await planOf(app, run.id, wait * 1000)
      return reply
        .code(finished ? 200 : 202)
        .header('location', `/api/v1/runs/${run.id}`)
        .send(plan)
    },
  )

  app.post(
    '/mappings/:id/runs',
    {
      config: { role: 'operator' },
      schema: {
        tags: ['runs'],
        operationId: 'startRun',
        summary: 'Start a run of the mapping (queued; any hub instance may run it)',
        params: IdParams,
        body: Type.Optional(StartRun),
        response: { 202: RunRef, 404: ErrorRef, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {}
      if (body.confirmDeletions && body.dryRun)
        throw new SyncErrors.MAPPING_NOT_RUNNABLE(
          request.params.id,
          'a dry run deletes nothing; confirmDeletions needs a real run',
        )
      const run = await app.sync.runService.start(request.params.id, {
        trigger: 'manual',
        dryRun: body.dryRun ?? false,
        kind: body.kind ?? 'full',
        options: {
          ...(body.confirmDeletions ? { confirmDeletions: true } : {}),
          ...(body.withoutRelations ? { withoutRelations: true } : {}),
        },
      })
      return reply.code(202).header('location', `/api/v1/runs/${run.id}`).send(toRunAnswer(run))
    },
  )
}

export default mappingRoutes
