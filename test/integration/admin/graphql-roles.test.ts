// Every mutation of the schema the hub serves declares the role it needs (@requires), refuses a
// token whose role is below it with the error REST routes refuse with, and lets a token with that
// role reach it. The mutations are read off the schema: one added without a role fails here.
import { test } from 'tap'
import { randomUUID } from 'node:crypto'
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql'
import { ROLES, type Role } from '../../../core/auth/roles.ts'
import { requiredRole } from '../../../plugins/graphql/role-directive.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'

/** the role each mutation needs, as its REST counterpart does: a change here is a change of policy */
const NEEDS: Record<string, Role> = {
  createConnection: 'admin',
  updateConnection: 'admin',
  deleteConnection: 'admin',
  checkConnection: 'operator',
  createCustomConnector: 'admin',
  updateCustomConnector: 'admin',
  rediscoverCustomConnector: 'admin',
  removeCustomConnector: 'admin',
  cleanupCustomConnector: 'admin',
  adviseConnection: 'operator',
  applyItComponentFlow: 'admin',
  createMapping: 'admin',
  replaceMapping: 'admin',
  patchMapping: 'admin',
  deleteMapping: 'admin',
  validateMapping: 'operator',
  restoreMappingVersion: 'admin',
  createCsdmDefaults: 'admin',
  planMapping: 'operator',
  startRun: 'operator',
  cancelRun: 'operator',
}

/** a GraphQL literal of `type` that validates (ids are UUIDs of nothing the store holds) */
function literal(type: GraphQLInputType): string {
  const inner = isNonNullType(type) ? type.ofType : type
  if (isListType(inner)) return `[${literal(inner.ofType)}]`
  if (isInputObjectType(inner)) {
    const required = Object.values(inner.getFields()).filter(
      (f) => isNonNullType(f.type) && f.defaultValue === undefined,
    )
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`
  }
  if (isEnumType(inner)) return inner.getValues()[0]?.name ?? ''
  const scalars: Record<string, string> = {
    ID: `"${randomUUID()}"`,
    String: '"x"',
    Int: '1',
    Float: '1',
    Boolean: 'false',
  }
  return scalars[inner.name] ?? '{}'
}

/** a mutation document that asks for `field` with its required arguments */
function mutationOf(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined)
  const list = args.length > 0 ? `(${args.map((a) => `${a.name}: ${literal(a.type)}`).join(', ')})` : ''
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : ''
  return `mutation { ${field.name}${list}${selection} }`
}

test('every mutation refuses the roles below the one it needs, and lets that role reach it', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const tokens = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await hub.token(r)] as const)))
  const mutations = Object.values(hub.app.graphql.schema.getMutationType()?.getFields() ?? {})
  t.ok(mutations.length >= Object.keys(NEEDS).length, 'the schema has its mutations')
  for (const field of mutations) {
    const needed = requiredRole(field)
    if (!needed) {
      t.fail(`Mutation.${field.name} declares no role it needs (@requires)`)
      continue
    }
    t.equal(needed, NEEDS[field.name], `Mutation.${field.name} needs the role it needed`)
    const query = mutationOf(field)
    for (const role of ROLES) {
      const res = await hub.inject({ method: 'POST', url: '/graphql', payload: { query } }, tokens[role])
      const body = res.json() as { data: unknown; errors?: Array<{ message: string; extensions: { code: string } }> }
      const codes = (body.errors ?? []).map((e) => e.extensions.code)
      if (ROLES.indexOf(role) < ROLES.indexOf(needed)) {
        t.same(codes, ['CW_AUTH_FORBIDDEN'], `${field.name} refuses the ${role} role`)
        t.match(body.errors?.[0]?.message, `This needs the ${needed} role;`, `${field.name} names the role it needs`)
        t.equal(res.statusCode, 403, `${field.name}: HTTP 403 for the ${role} role`)
        t.equal(body.data, null)
      } else {
        t.notOk(
          codes.includes('CW_AUTH_FORBIDDEN'),
          `${field.name} lets the ${role} role through (${codes.join(', ')})`,
        )
      }
    }
  }
})
