// Patch building (docs/reference/leanix.md §3.4): values are always strings, structured ones JSON-encoded;
// relations added under new_<n> and removed by relation id; lifecycle written whole.
import { test } from 'tap'
import { parseDataModel, requireType } from '../../../connectors/leanix/client/data-model.ts'
import { buildPatches, archivePatch } from '../../../connectors/leanix/client/patches.ts'
import { DATA_MODEL } from './stub-leanix.ts'

const app = requireType(parseDataModel(DATA_MODEL), 'Application')

test('every patch value is a string', async (t) => {
  const patches = buildPatches(
    app,
    {
      description: 'Billing',
      businessCriticality: 'missionCritical',
      costs: 12.5,
      platforms: ['windows', 'linux'],
      lifecycle: {
        phases: [
          { phase: 'active', startDate: '2024-01-01' },
          { phase: 'plan', startDate: '2023-01-01' },
        ],
      },
      serviceNowExternalId: { externalId: 'abc123', externalUrl: 'https://x.service-now.com/abc123', status: 'LINKED' },
    },
    undefined,
    'k',
  )
  t.ok(patches.every((p) => typeof p.value === 'string'))
  t.same(patches, [
    { op: 'replace', path: '/description', value: 'Billing' },
    { op: 'replace', path: '/businessCriticality', value: 'missionCritical' },
    { op: 'replace', path: '/costs', value: '12.5' },
    { op: 'replace', path: '/platforms', value: '["windows","linux"]' },
    {
      op: 'replace',
      path: '/lifecycle',
      value: '{"phases":[{"phase":"plan","startDate":"2023-01-01"},{"phase":"active","startDate":"2024-01-01"}]}',
    },
    {
      op: 'replace',
      path: '/serviceNowExternalId',
      value:
        '{"type":"ExternalId","externalId":"abc123","externalUrl":"https://x.service-now.com/abc123","status":"LINKED"}',
    },
  ])
})

test('lifecycle accepts a phase -> date map and rejects bad dates', async (t) => {
  const [p] = buildPatches(app, { lifecycle: { plan: '2020-01-01', endOfLife: '2030-12-31' } }, undefined, 'k')
  t.same(JSON.parse(p?.value ?? ''), {
    phases: [
      { phase: 'plan', startDate: '2020-01-01' },
      { phase: 'endOfLife', startDate: '2030-12-31' },
    ],
  })
  t.throws(() => buildPatches(app, { lifecycle: { active: 'soon' } }, undefined, 'k'), { code: 'CW_LX_CHANGE_INVALID' })
})

test('null clears a field; a bare string is an external id', async (t) => {
  t.same(buildPatches(app, { businessCriticality: null, serviceNowExternalId: 'sys1' }, undefined, 'k'), [
    { op: 'remove', path: '/businessCriticality', value: '' },
    { op: 'replace', path: '/serviceNowExternalId', value: '{"type":"ExternalId","externalId":"sys1"}' },
  ])
})

test('relations: new ones under new_<n>, gone ones removed by relation id, changed ones replaced', async (t) => {
  const current = {
    relApplicationToITComponent: [
      { relationId: 'rel-1', factSheetId: 'itc-1', usageType: 'primary' },
      { relationId: 'rel-2', factSheetId: 'itc-2', usageType: 'primary' },
    ],
  }
  const patches = buildPatches(
    app,
    {
      relApplicationToITComponent: [
        { factSheetId: 'itc-2', usageType: 'backup' },
        'itc-3',
        { factSheetId: 'itc-4', activeFrom: '2024-01-01', ignored: 'x' },
      ],
    },
    current,
    'k',
  )
  t.same(patches, [
    { op: 'remove', path: '/relApplicationToITComponent/rel-1', value: '' },
    {
      op: 'replace',
      path: '/relApplicationToITComponent/rel-2',
      value: '{"factSheetId":"itc-2","usageType":"backup"}',
    },
    { op: 'add', path: '/relApplicationToITComponent/new_1', value: '{"factSheetId":"itc-3"}' },
    {
      op: 'add',
      path: '/relApplicationToITComponent/new_2',
      value: '{"factSheetId":"itc-4","activeFrom":"2024-01-01"}',
    },
  ])
  t.same(buildPatches(app, { relApplicationToITComponent: ['itc-1', 'itc-2'] }, current, 'k'), [], 'unchanged: nothing')
})

test('tags replace the set by id or by name (with group), and are skipped when unchanged', async (t) => {
  const patches = buildPatches(
    app,
    { tags: [{ id: 't1' }, 'Cloud', { name: 'Gold', tagGroup: { name: 'Tier' } }] },
    undefined,
    'k',
  )
  t.same(patches, [
    {
      op: 'replace',
      path: '/tags',
      value: '[{"tagId":"t1"},{"tagName":"Cloud"},{"tagName":"Gold","tagGroupName":"Tier"}]',
    },
  ])
  const current = { tags: [{ id: 't1', name: 'Cloud', tagGroup: null }] }
  t.same(buildPatches(app, { tags: [{ tagId: 't1' }] }, current, 'k'), [])
})

test('read-only and unknown fields', async (t) => {
  t.same(buildPatches(app, { id: 'x', rev: 3, updatedAt: 'y', displayName: 'z' }, undefined, 'k'), [])
  t.throws(() => buildPatches(app, { bogus: 1 }, undefined, 'k'), { code: 'CW_LX_FIELD_UNKNOWN' })
  t.throws(() => buildPatches(app, { location: 'Berlin' }, undefined, 'k'), { code: 'CW_LX_CHANGE_INVALID' })
  t.same(archivePatch(), { op: 'replace', path: '/status', value: 'ARCHIVED' })
})
