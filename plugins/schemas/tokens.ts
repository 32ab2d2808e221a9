// Bearer tokens over REST: the record (never the token, never its hash) and the create answer,
// the only place a token is ever shown.
import { Type, type Static } from 'typebox'
import { ROLES } from '../../core/auth/roles.ts'
import { literals } from '../../core/schema/literals.ts'
import { RefTo } from './common.ts'

export const RoleSchema = literals(ROLES, {
  description: 'viewer reads; operator also runs and cancels; admin also configures and manages tokens',
})

export const Token = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    role: RoleSchema,
    source: Type.Union([Type.Literal('api'), Type.Literal('config'), Type.Literal('generated')], {
      description: 'api: created over REST; config: CROSSWALK_ADMIN_TOKEN; generated: printed at first start',
    }),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String({ description: 'name of the token or client that created it' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'last use, to the minute',
    }),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Token', title: 'Token', additionalProperties: false },
)

export const TokenCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'what the token is for, shown in the audit log' }),
    role: RoleSchema,
  },
  { title: 'TokenCreate', additionalProperties: false },
)
export type TokenCreate = Static<typeof TokenCreate>

export const TokenCreated = Type.Object(
  {
    token: Type.String({ description: 'the bearer token: shown only in this answer, store it now' }),
    record: RefTo(Token),
  },
  { title: 'TokenCreated' },
)

export const TokenListQuery = Type.Object({
  includeRevoked: Type.Boolean({ default: false, description: 'list revoked tokens too' }),
})

export const TokenList = Type.Object(
  { items: Type.Array(RefTo(Token)), total: Type.Integer({ minimum: 0 }) },
  { title: 'TokenList' },
)

export const Me = Type.Object(
  {
    tokenId: Type.String({ format: 'uuid' }),
    name: Type.String({ description: 'the name given to the token, shown in the audit log' }),
    role: RoleSchema,
    roles: Type.Array(RoleSchema, {
      description: 'every role this token acts as: its own and the weaker ones (what a client may offer)',
    }),
  },
  { title: 'Me', additionalProperties: false },
)
