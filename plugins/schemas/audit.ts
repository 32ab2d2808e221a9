// The audit log over REST: entries newest first, paged.
import { Type } from 'typebox'
import { RefTo } from './common.ts'

export const AuditEntry = Type.Object(
  {
    id: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    actor: Type.Object({
      id: Type.Union([Type.String(), Type.Null()], {
        description: 'token id or client id; null for the CLI or the hub',
      }),
      name: Type.String(),
      kind: Type.String({ description: 'token, oauth-client, cli or system' }),
    }),
    action: Type.String({
      description: 'e.g. "POST /api/v1/tokens", "vault.rotate", "graphql mutation createMapping"',
    }),
    target: Type.Union([Type.String(), Type.Null()]),
    requestId: Type.Union([Type.String(), Type.Null()]),
    summary: Type.Record(Type.String(), Type.Unknown(), {
      description: 'the redacted request: shape and plain values, never secrets',
    }),
    outcome: Type.Union([Type.Literal('applied'), Type.Literal('refused'), Type.Literal('failed')], {
      description: 'applied: the change was made; refused: it was answered 4xx (nothing changed); failed: 5xx',
    }),
    errorCode: Type.Union([Type.String(), Type.Null()], {
      description: 'the CW_ code a refused or failed change was answered with',
    }),
  },
  { $id: 'AuditEntry', title: 'AuditEntry', additionalProperties: false },
)

export const AuditQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
  action: Type.Optional(Type.String({ minLength: 1, description: 'only entries with exactly this action' })),
  actor: Type.Optional(
    Type.String({ minLength: 1, description: 'only entries by the token or client of exactly this name' }),
  ),
})

export const AuditPage = Type.Object(
  { items: Type.Array(RefTo(AuditEntry)), total: Type.Integer({ minimum: 0 }) },
  { title: 'AuditPage' },
)
