// The first admin token: CROSSWALK_ADMIN_TOKEN when configured, otherwise one generated when the
// store has never had a token. Runs under an advisory lock so instances starting together on one
// PostgreSQL server generate at most one.
import type { Db } from '../store/db.ts'
import { hashToken } from './token-secret.ts'
import type { TokenStore } from './token-store.ts'

const LOCK_KEY = 4_242_010

export type FirstAdminOutcome =
  | { kind: 'configured'; tokenId: string; replaced: number }
  | { kind: 'configured-revoked'; tokenId: string }
  | { kind: 'configured-present'; tokenId: string }
  | { kind: 'generated'; tokenId: string }
  | { kind: 'none-needed' }

export async function ensureFirstAdmin(
  db: Db,
  tokens: TokenStore,
  adminToken: string | undefined,
  /** hands a generated token over; runs before the commit, so a token nobody received is not kept */
  announce: (token: string) => void,
): Promise<FirstAdminOutcome> {
  return db.withAdvisoryLock(LOCK_KEY, () =>
    db.transaction(async (tx): Promise<FirstAdminOutcome> => {
      if (adminToken !== undefined) {
        const { rows } = await tx.query<{ id: string; revoked_at: Date | null }>(
          'select id, revoked_at from api_tokens where token_hash = $1',
          [hashToken(adminToken)],
        )
        const existing = rows[0]
        // A revocation made over the API stands even though the setting still names the token.
        if (existing) {
          return existing.revoked_at
            ? { kind: 'configured-revoked', tokenId: existing.id }
            : { kind: 'configured-present', tokenId: existing.id }
        }
        // The setting changed: the token it named before is retired, as the operator replaced it.
        const { affectedRows } = await tx.query(
          `update api_tokens set revoked_at = now() where source = 'config' and revoked_at is null`,
        )
        const { record } = await tokens.create(
          {
            name: 'admin (CROSSWALK_ADMIN_TOKEN)',
            role: 'admin',
            createdBy: 'configuration',
            source: 'config',
            token: adminToken,
          },
          tx,
        )
        return { kind: 'configured', tokenId: record.id, replaced: affectedRows }
      }
      if (await tokens.any(tx)) return { kind: 'none-needed' }
      const { record, token } = await tokens.create(
        {
          name: 'first admin (generated at first start)',
          role: 'admin',
          createdBy: 'first start',
          source: 'generated',
        },
        tx,
      )
      announce(token)
      return { kind: 'generated', tokenId: record.id }
    }),
  )
}
