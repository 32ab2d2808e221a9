// Role checks of GraphQL fields, declared in the schema beside the field they guard
// (`@requires(role: admin)`, schema.ts) and enforced by mercurius-auth, which wraps each such
// field's resolver. The check is the one every REST route makes (core/auth/roles.ts), and a
// refusal is the same error (CW_AUTH_FORBIDDEN). Reaching /graphql at all takes a viewer token
// (index.ts): a field without the directive is a viewer's to read.
import type { FastifyInstance } from 'fastify'
import type { MercuriusContext } from 'mercurius'
import mercuriusAuth from 'mercurius-auth'
import {
  isObjectType,
  Kind,
  type DirectiveNode,
  type GraphQLField,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql'
import { ROLES, roleAllows, type Role } from '../../core/auth/roles.ts'
import { AuthErrors } from '../../core/auth/errors.ts'

const DIRECTIVE = 'requires'

/** The role a `@requires` directive of `field` names; an unknown one throws (the hub does not start). */
function roleOf(directive: DirectiveNode, field: string): Role {
  const value = directive.arguments?.find((a) => a.name.value === 'role')?.value
  const role = ROLES.find((r) => value?.kind === Kind.ENUM && value.value === r)
  if (!role) throw new Error(`@${DIRECTIVE} of the field ${field} names no role of ${ROLES.join(', ')}`)
  return role
}

/** The role a field of the schema needs, if it declares one. */
export function requiredRole(field: GraphQLField<unknown, unknown>): Role | undefined {
  const directive = field.astNode?.directives?.find((d) => d.name.value === DIRECTIVE)
  return directive ? roleOf(directive, field.name) : undefined
}

/** Every field that declares a role, so that a wrong one stops the hub at start, not at a request. */
function checkDeclarations(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue
    for (const field of Object.values(type.getFields())) requiredRole(field)
  }
}

/**
 * Refuses a field whose role the caller's token does not have. Subscriptions carry no HTTP
 * request: a field that needs more than a viewer's role is refused there, whoever asks (no
 * subscription reaches one today; mutations are not served over the socket).
 */
async function applyPolicy(
  directive: DirectiveNode,
  _parent: unknown,
  _args: unknown,
  context: MercuriusContext,
  info: GraphQLResolveInfo,
): Promise<true | Error> {
  const needed = roleOf(directive, info.fieldName)
  const principal = context.reply?.request.principal
  const held = principal?.role ?? 'viewer'
  return roleAllows(held, needed) || new AuthErrors.FORBIDDEN(needed, principal?.name ?? 'unknown', held)
}

/** Wraps the fields of the registered schema that declare a role; after mercurius. */
export async function enforceRoleDirectives(app: FastifyInstance): Promise<void> {
  checkDeclarations(app.graphql.schema)
  // a CommonJS module typed as an ES one: its plugin is `default` of the module's exports
  await app.register(mercuriusAuth.default, { authDirective: DIRECTIVE, applyPolicy })
}
