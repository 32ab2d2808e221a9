// Discovery (docs/reference/leanix.md §2, §4): types, fields and relations come from the workspace's data
// model, so v3-origin keys (UserGroup) and v4 keys (Organization) both work with nothing named.
import { test } from 'tap'
import { describeEntities, parseDataModel } from '../../../connectors/leanix/client/data-model.ts'
import { DATA_MODEL } from './stub-leanix.ts'

test('the data model becomes entity descriptions with typed fields and relations', async (t) => {
  const entities = describeEntities(parseDataModel(DATA_MODEL))
  t.same(
    entities.map((e) => e.name),
    ['Application', 'ITComponent'],
  )
  const app = entities[0]
  const field = (n: string) => app?.fields.find((f) => f.name === n)
  t.match(field('id'), { type: 'string', readOnly: true })
  t.match(field('rev'), { type: 'integer', readOnly: true })
  t.match(field('businessCriticality'), { type: 'choice', choices: [{ value: 'missionCritical' }] })
  t.match(field('platforms'), { type: 'list' })
  t.match(field('costs'), { type: 'decimal' })
  t.match(field('lifecycle'), { type: 'lifecycle' })
  t.match(field('location'), { readOnly: true })
  t.match(field('relApplicationToITComponent'), { type: 'relation', reference: 'ITComponent' })
  const itc = entities[1]
  t.match(
    itc?.fields.find((f) => f.name === 'relITComponentToApplication'),
    { type: 'relation', reference: 'Application' },
  )
})

test('v3-origin type keys are discovered as they are', async (t) => {
  const v3 = {
    factSheets: { UserGroup: { fields: { name: { type: 'StringDataType' } } }, Project: { fields: {} } },
    relations: {
      relProjectToUserGroup: {
        from: { factSheetType: 'Project', name: 'relProjectToUserGroup' },
        to: { factSheetType: 'UserGroup', name: 'relUserGroupToProject' },
      },
    },
  }
  const model = parseDataModel(v3)
  t.same([...model.types.keys()], ['UserGroup', 'Project'])
  t.ok(model.types.get('UserGroup')?.relations.has('relUserGroupToProject'))
})

test('field types in the meta-model constant spelling (SINGLE_SELECT...) read the same as the SDK names', async (t) => {
  const model = parseDataModel({
    factSheets: {
      Application: {
        fields: {
          businessCriticality: { type: 'SINGLE_SELECT', values: ['missionCritical'] },
          platforms: { type: 'MULTIPLE_SELECT', values: ['linux'] },
          lifecycle: { type: 'LIFECYCLE', values: ['plan'] },
          externalId: { type: 'EXTERNAL_ID' },
          costs: { type: 'DOUBLE' },
          users: { type: 'INTEGER' },
          alias: { type: 'STRING' },
          location: { type: 'LOCATION' },
        },
      },
    },
  })
  const kinds = Object.fromEntries(
    [...(model.types.get('Application')?.fields.values() ?? [])].map((f) => [f.name, f.kind]),
  )
  t.same(kinds, {
    businessCriticality: 'single',
    platforms: 'multi',
    lifecycle: 'lifecycle',
    externalId: 'externalId',
    costs: 'double',
    users: 'integer',
    alias: 'string',
    location: 'other',
  })
})
