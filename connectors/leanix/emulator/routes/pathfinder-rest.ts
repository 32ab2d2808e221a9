// Pathfinder's REST API next to GraphQL (docs/reference/leanix.md §2; leanix-sdk-java FactSheetsApi, ModelsApi,
// SettingsApi): fact sheets and their relations read and created, the enriched data model, the
// view model and the settings. Writes go through the GraphQL engine, so they are validated,
// transactional and published to webhooks exactly like createFactSheet / updateFactSheet.
// Answers are LeanIX's REST envelope {status, type, errors, total?, data}.
import type { FastifyInstance, FastifyReply } from 'fastify'
import { enrichedDataModelDocument, settingsDocument, viewModelDocument } from '../pathfinder/models.ts'
import { FactSheetQuery, MAX_EDGES_PER_QUERY, page } from '../pathfinder/fact-sheet-query.ts'
import type { EmulatorRuntime } from '../runtime.ts'
import type { UserRecord } from '../workspace/records.ts'
import { factSheetShape, relationShape } from '../webhooks/payloads.ts'
import { authenticatedUser } from './bearer-auth.ts'

const BASE = '/services/pathfinder/v1'
const MAX_PAGE_SIZE = 1000

function fail(reply: FastifyReply, status: number, type: string, messages: string[]) {
  return reply.code(status).send({
    status: 'ERROR',
    type,
    message: messages.join('; '),
    errors: messages.map((m) => ({ value: type, messages: [m] })),
  })
}

/** A REST body's fields as GraphQL patches: strings as they are, anything else JSON-encoded. */
function patchesFrom(body: Record<string, unknown>, skip: readonly string[]) {
  return Object.entries(body)
    .filter(([key, value]) => !skip.includes(key) && value !== undefined)
    .map(([key, value]) => ({
      op: 'replace',
      path: `/${key}`,
      value: typeof value === 'string' ? value : JSON.stringify(value),
    }))
}

export function pathfinderRestRoutes(app: FastifyInstance, runtime: EmulatorRuntime): void {
  const { store } = runtime
  const query = new FactSheetQuery(store)
  const graphql = (user: UserRecord, text: string, variables: Record<string, unknown>) =>
    runtime.graphql.run({ query: text, variables }, user)
  const errorMessages = (errors: unknown[] | null) =>
    (errors ?? []).map((e) => String((e as { message?: unknown }).message))

  app.get(`${BASE}/factSheets`, async (request, reply) => {
    const q = request.query as { type?: string; pageSize?: string; cursor?: string }
    if (q.type !== undefined && !(q.type in store.metaModel.factSheets)) {
      return fail(reply, 400, 'FactSheet', [`Unknown fact sheet type '${q.type}'`])
    }
    const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(q.pageSize ?? 40) || 40))
    const list = query.run({ factSheetType: q.type ?? null })
    let result
    try {
      result = page(list, Math.min(size, MAX_EDGES_PER_QUERY), q.cursor ?? null, MAX_EDGES_PER_QUERY)
    } catch {
      return fail(reply, 400, 'FactSheet', [`The cursor '${q.cursor}' is invalid`])
    }
    return {
      status: 'OK',
      type: 'FactSheet',
      errors: [],
      total: result.totalCount,
      cursor: result.pageInfo.hasNextPage ? result.pageInfo.endCursor : null,
      data: result.edges.map((e) => factSheetShape(store, e.node)),
    }
  })

  app.post(`${BASE}/factSheets`, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    if (typeof body.name !== 'string' || typeof body.type !== 'string') {
      return fail(reply, 400, 'FactSheet', ['A fact sheet needs "name" and "type"'])
    }
    const answer = await graphql(
      authenticatedUser(request),
      'mutation($input: BaseFactSheetInput!, $patches: [Patch]) { createFactSheet(input: $input, patches: $patches) { factSheet { id } } }',
      { input: { name: body.name, type: body.type }, patches: patchesFrom(body, ['name', 'type', 'id']) },
    )
    const id = (answer.data as { createFactSheet?: { factSheet?: { id: string } } } | undefined)?.createFactSheet
      ?.factSheet?.id
    const created = id === undefined ? undefined : store.factSheets.get(id)
    if (answer.errors !== null || created === undefined)
      return fail(reply, 400, 'FactSheet', errorMessages(answer.errors))
    return { status: 'OK', type: 'FactSheet', errors: [], data: factSheetShape(store, created) }
  })

  app.get(`${BASE}/factSheets/:id`, async (request, reply) => {
    const fs = store.factSheets.get((request.params as { id: string }).id)
    if (fs === undefined) return fail(reply, 404, 'FactSheet', ['Fact Sheet not found'])
    return { status: 'OK', type: 'FactSheet', errors: [], data: factSheetShape(store, fs) }
  })

  app.get(`${BASE}/factSheets/:id/relations`, async (request, reply) => {
    const fs = store.factSheets.get((request.params as { id: string }).id)
    if (fs === undefined) return fail(reply, 404, 'Relation', ['Fact Sheet not found'])
    const data = store
      .relationsOf(fs.id)
      .filter((r) => r.status === 'ACTIVE')
      .map((r) => relationShape(store, r))
    return { status: 'OK', type: 'Relation', errors: [], total: data.length, data }
  })

  app.post(`${BASE}/factSheets/:id/relations`, async (request, reply) => {
    const id = (request.params as { id: string }).id
    const body = (request.body ?? {}) as Record<string, unknown>
    const fs = store.factSheets.get(id)
    if (fs === undefined) return fail(reply, 404, 'Relation', ['Fact Sheet not found'])
    const target = body.toId ?? body.factSheetId
    if (typeof body.type !== 'string' || typeof target !== 'string') {
      return fail(reply, 400, 'Relation', ['A relation needs "type" (e.g. relApplicationToITComponent) and "toId"'])
    }
    const { type: name, toId: _toId, fromId: _fromId, factSheetId: _target, id: _id, ...rest } = body
    const before = new Set(store.relationsOf(id).map((r) => r.id))
    const answer = await graphql(
      authenticatedUser(request),
      'mutation($id: ID!, $patches: [Patch]!) { updateFactSheet(id: $id, patches: $patches) { factSheet { id } } }',
      {
        id,
        patches: [{ op: 'add', path: `/${name}/new_rest`, value: JSON.stringify({ ...rest, factSheetId: target }) }],
      },
    )
    const created = store.relationsOf(id).find((r) => !before.has(r.id))
    if (answer.errors !== null || created === undefined)
      return fail(reply, 400, 'Relation', errorMessages(answer.errors))
    return { status: 'OK', type: 'Relation', errors: [], data: relationShape(store, created) }
  })

  app.get(`${BASE}/models/dataModel/enriched`, async () => enrichedDataModelDocument(store.metaModel))
  app.get(`${BASE}/models/viewModel`, async () => viewModelDocument(store.metaModel))
  app.get(`${BASE}/settings`, async () => settingsDocument(store.identity, runtime.baseUrl()))
}
