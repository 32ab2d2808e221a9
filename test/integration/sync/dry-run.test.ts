// A dry run plans what the real run started right after it does, action by action: records
// created (with the ids, URLs and numbers written back to the source once the target exists),
// linked and left alone, and the relations of records that are only about to be created, to
// records that are linked already or are about to be created themselves.
import { test } from 'tap'
import { syncHarness, type ActionAnswer } from '../../helpers/sync-harness.ts'

const PREFIX = 'cwdry'
const APPS = 'dry run: applications'

/** A placeholder of a plan for the id of a record the run would create for `sourceId`. */
const PLANNED_ID = /^\(id of the new record for (.+)\)$/

test('a dry run lists exactly what the real run right after it does, write-backs and relations included', async (t) => {
  const h = await syncHarness(t)
  const capability = (await h.lxCreate('BusinessCapability', `${PREFIX} Capability`)).id
  const capMapping = await h.createMapping({
    name: 'dry run: capabilities',
    source: {
      connectionId: h.lxConnectionId,
      entity: 'BusinessCapability',
      filter: JSON.stringify({ fullTextSearch: PREFIX }),
    },
    target: {
      connectionId: h.snConnectionId,
      entity: 'cmdb_ci_business_capability',
      filter: `nameSTARTSWITH${PREFIX}`,
    },
    mode: 'conservative',
    fields: [{ type: 'field', source: 'name', target: 'name' }],
    matching: { rules: [] },
  })
  const capRun = await h.run(capMapping)
  t.match(capRun.counts, { created: 1 }, capRun.message ?? '')

  const relTo = (name: string, id: string) => ({
    op: 'add',
    path: `/${name}/new_1`,
    value: JSON.stringify({ factSheetId: id }),
  })
  const parent = (
    await h.lxCreate('Application', `${PREFIX} Parent`, [relTo('relApplicationToBusinessCapability', capability)])
  ).id
  const retired = (
    await h.lxCreate('Application', `${PREFIX} Retired`, [relTo('relApplicationToBusinessCapability', capability)])
  ).id
  const appMapping = await h.createMapping({
    name: APPS,
    source: {
      connectionId: h.lxConnectionId,
      entity: 'Application',
      filter: JSON.stringify({ fullTextSearch: PREFIX }),
    },
    target: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app', filter: `nameSTARTSWITH${PREFIX}` },
    mode: 'conservative',
    fields: [
      { type: 'field', source: 'name', target: 'name' },
      // written back once the record exists: its sys_id, its URL, and the number ServiceNow gives it
      { type: 'externalId', target: 'externalId', direction: 'toSource' },
      { type: 'url', target: 'description', direction: 'toSource' },
      { type: 'field', source: 'alias', target: 'number', direction: 'toSource' },
    ],
    relations: [
      {
        name: 'parent application',
        otherMapping: APPS,
        source: { kind: 'field', field: 'relToParent' },
        target: { kind: 'field', field: 'platform_host' },
      },
      {
        name: 'provided capabilities',
        otherMapping: 'dry run: capabilities',
        source: { kind: 'field', field: 'relApplicationToBusinessCapability' },
        target: { kind: 'cmdbRelCi', relType: 'Provided By::Provides', self: 'child' },
      },
    ],
    matching: { rules: [{ source: ['name'], target: ['name'] }] },
  })
  const firstRun = await h.run(appMapping)
  t.match(firstRun.counts, { created: 2, relationsCreated: 2 }, firstRun.message ?? '')

  // gone from LeanIX: its record is deleted, and its relations with it (not one by one)
  await h.lxArchive(retired)
  // new: one under the linked parent, one under that new one, and one that ServiceNow has by
  // name (linked, not created) under the second
  const one = (
    await h.lxCreate('Application', `${PREFIX} One`, [
      relTo('relToParent', parent),
      relTo('relApplicationToBusinessCapability', capability),
    ])
  ).id
  const two = (await h.lxCreate('Application', `${PREFIX} Two`, [relTo('relToParent', one)])).id
  const handMade = await h.snInsert('cmdb_ci_business_app', { name: `${PREFIX} Three` })
  const three = (
    await h.lxCreate('Application', `${PREFIX} Three`, [
      relTo('relToParent', two),
      relTo('relApplicationToBusinessCapability', capability),
    ])
  ).id

  const relRows = async () => (await h.snRows('cmdb_rel_ci', '', ['sys_id'])).length
  const relsBefore = await relRows()
  const plan = await h.hub.inject({ method: 'POST', url: `/api/v1/mappings/${appMapping}/plan`, payload: { wait: 60 } })
  t.equal(plan.statusCode, 200, plan.body)
  const planRun = plan.json().run as { id: string; status: string; message: string; counts: Record<string, number> }
  t.equal(planRun.status, 'OK', planRun.message)
  const planned = await h.actions(planRun.id)

  // a plan's records are found by name or by either side's id, any case, the text taken literally
  const byName = await h.actions(planRun.id, `search=${encodeURIComponent(`${PREFIX.toUpperCase()} ONE`)}`)
  t.ok(byName.length > 0, 'found by name in another case')
  t.ok(
    byName.every((a) => [a.display, a.sourceId, a.targetId].some((v) => v?.toLowerCase().includes(`${PREFIX} one`))),
    'only records with that text',
  )
  t.ok(
    (await h.actions(planRun.id, `search=${one}`)).some((a) => a.sourceId === one),
    'found by its id',
  )
  t.same(await h.actions(planRun.id, 'search=%25'), [], 'a LIKE wildcard matches only itself')
  const searched = await h.hub.inject({
    method: 'POST',
    url: '/graphql',
    payload: {
      query: 'query ($id: ID!, $text: String) { runActions(runId: $id, search: $text) { items { sourceId } } }',
      variables: { id: planRun.id, text: one.toUpperCase() },
    },
  })
  const searchedIds = searched.json().data.runActions.items.map((a: { sourceId: string }) => a.sourceId)
  t.ok(searchedIds.length > 0 && searchedIds.every((id: string) => id === one), 'and through GraphQL')

  // the plan wrote nothing anywhere
  t.equal((await h.snRows('cmdb_ci_business_app', `nameSTARTSWITH${PREFIX}`)).length, 3, 'no record created or deleted')
  t.equal(await relRows(), relsBefore, 'no relation created')
  t.equal(
    (await h.snRows('cmdb_ci_business_app', `sys_id=${handMade.sys_id}`))[0]?.platform_host,
    '',
    'no relation field written',
  )
  const lxOne = await h.lxGraphql<{ factSheet: Record<string, unknown> }>(
    'query ($id: ID!) { factSheet(id: $id) { ... on Application { alias externalId { externalId } } } }',
    { id: one },
  )
  t.match(lxOne.factSheet, { alias: null, externalId: null }, 'nothing written back to LeanIX')

  // the write-backs of a record to be created show, with placeholders for what only its create tells
  const createOne = planned.find((a) => a.kind === 'record' && a.sourceId === one)
  t.match(createOne, { action: 'CREATE', status: 'PLANNED', side: 'target' }, 'a create is planned')
  const after = new Map((createOne?.changes ?? []).map((c) => [`${c.side}:${c.field}`, c.after]))
  t.equal(after.get('source:externalId'), `(id of the new record for ${one})`, 'its id, written back')
  t.equal(after.get('source:description'), '(URL of the new record)', 'its URL, written back')
  t.equal(after.get('source:alias'), '(the value the new record gets)', 'a number ServiceNow gives it, written back')
  t.equal(after.get('target:name'), `${PREFIX} One`, 'what is known is shown as it is')

  const real = await h.run(appMapping)
  t.equal(real.status, 'OK', real.message ?? '')
  const done = await h.actions(real.id)

  // target ids become the source ids they stand for, on both sides of the comparison
  const sourceOf = new Map<string, string>()
  for (const table of ['cmdb_ci_business_app', 'cmdb_ci_business_capability']) {
    for (const r of await h.snRows(table, `nameSTARTSWITH${PREFIX}`, ['sys_id', 'correlation_id']))
      sourceOf.set(r.sys_id as string, r.correlation_id as string)
  }
  const endOf = (id: unknown) => {
    const placeholder = typeof id === 'string' ? PLANNED_ID.exec(id) : null
    return placeholder ? placeholder[1] : (sourceOf.get(String(id)) ?? `unknown ${String(id)}`)
  }
  const lines = (actions: ActionAnswer[]) =>
    actions
      .filter((a) => a.action !== 'NONE')
      .flatMap((a) =>
        (a.changes ?? [null]).map((c) => {
          const other = a.kind === 'relation' && c ? ` -> ${endOf(c.after ?? c.before)}` : ''
          return `${a.kind} ${a.action} ${a.side} ${a.sourceId} ${c ? `${c.side}:${c.field}` : '-'}${other}`
        }),
      )
      .sort()
  t.same(lines(planned), lines(done), 'the real run did exactly what the plan said, field by field')
  t.ok(
    lines(done).includes(`relation CREATE target ${two} target:platform_host -> ${one}`),
    'a relation between two records the run created',
  )
  t.ok(
    lines(done).includes(`relation CREATE target ${one} target:cmdb_rel_ci -> ${capability}`),
    "a created record's relation to a linked record",
  )
  t.ok(
    lines(done).includes(`relation CREATE target ${three} target:platform_host -> ${two}`),
    'a record linked by name, related to a created one',
  )
  for (const key of [
    'read',
    'created',
    'updated',
    'linked',
    'unchanged',
    'deleted',
    'skipped',
    'failed',
    'conflicts',
    'relationsCreated',
    'relationsDeleted',
  ] as const)
    t.equal(planRun.counts[key], real.counts[key], `${key}: the plan counted what the run did`)
  t.match(real.counts, { deleted: 1, relationsCreated: 5, relationsDeleted: 0 }, 'every relation of the new records')

  // what the placeholders stood for
  const snOne = (await h.snRows('cmdb_ci_business_app', `correlation_id=${one}`))[0] as Record<string, string>
  const lxAfter = await h.lxGraphql<{ factSheet: Record<string, unknown> }>(
    'query ($id: ID!) { factSheet(id: $id) { ... on Application { alias externalId { externalId } } } }',
    { id: one },
  )
  t.match(
    lxAfter.factSheet,
    { alias: snOne.number, externalId: { externalId: snOne.sys_id } },
    'the real run wrote back the id and number the placeholders stood for',
  )

  const again = await h.run(appMapping)
  t.match(
    again.counts,
    { created: 0, updated: 0, linked: 0, relationsCreated: 0, relationsDeleted: 0 },
    'nothing left to do',
  )
})
