// /__emulator: test and sandbox controls that no real LeanIX has: faults, token revocation,
// technical users, the rate limit, a look at the workspace. Unauthenticated, loopback only.
import type { FastifyInstance } from 'fastify'
import { LeanixEmulatorErrors } from '../errors.ts'
import type { FaultSettings } from '../faults.ts'
import type { UserRole } from '../workspace/records.ts'
import { purgeExpiredArchives, SYSTEM_USER_ID } from '../workspace/retention.ts'
import type { EmulatorRuntime } from '../runtime.ts'

const ROLES: readonly UserRole[] = ['ADMIN', 'MEMBER', 'VIEWER']

export function adminRoutes(app: FastifyInstance, runtime: EmulatorRuntime): void {
  app.get('/__emulator/faults', async () => runtime.faults.current)

  app.post('/__emulator/faults', async (request) => {
    const body = (request.body ?? {}) as Partial<FaultSettings> & { reset?: boolean }
    if (body.reset === true) runtime.faults.reset()
    const { reset: _reset, ...settings } = body
    runtime.faults.set(settings)
    return runtime.faults.current
  })

  app.post('/__emulator/tokens/revoke', async (request) => {
    const body = (request.body ?? {}) as { userId?: string }
    return { revoked: runtime.tokens.revokeAccessTokens(body.userId) }
  })

  app.get('/__emulator/users', async () =>
    [...runtime.store.users.values()].map((u) => ({
      id: u.id,
      userName: u.userName,
      role: u.role,
      technicalUser: u.technicalUser,
    })),
  )

  app.post('/__emulator/technical-users', async (request, reply) => {
    const body = (request.body ?? {}) as { userName?: unknown; role?: unknown; apiToken?: unknown }
    if (typeof body.userName !== 'string' || !ROLES.includes(body.role as UserRole)) {
      throw new LeanixEmulatorErrors.ADMIN_REQUEST_INVALID('give userName and role (ADMIN, MEMBER or VIEWER)')
    }
    const created = runtime.tokens.addTechnicalUser({
      userName: body.userName,
      role: body.role as UserRole,
      ...(typeof body.apiToken === 'string' ? { apiToken: body.apiToken } : {}),
    })
    return reply.code(201).send({
      id: created.user.id,
      userName: created.user.userName,
      role: created.user.role,
      apiToken: created.apiToken,
    })
  })

  app.post('/__emulator/rate-limit', async (request) => {
    const body = (request.body ?? {}) as { max?: unknown; windowMs?: unknown }
    if (body.max !== undefined) {
      if (!Number.isInteger(body.max) || (body.max as number) < 1)
        throw new LeanixEmulatorErrors.ADMIN_REQUEST_INVALID('max must be a positive integer')
      runtime.rateLimit.max = body.max as number
    }
    if (body.windowMs !== undefined) {
      if (!Number.isInteger(body.windowMs) || (body.windowMs as number) < 1)
        throw new LeanixEmulatorErrors.ADMIN_REQUEST_INVALID('windowMs must be a positive integer')
      runtime.rateLimit.windowMs = body.windowMs as number
    }
    return runtime.rateLimit
  })

  app.post('/__emulator/retention/purge', async () => ({ purged: purgeExpiredArchives(runtime.store, SYSTEM_USER_ID) }))

  app.get('/__emulator/workspace', async () => {
    const byType: Record<string, number> = {}
    for (const fs of runtime.store.factSheets.values()) byType[fs.type] = (byType[fs.type] ?? 0) + 1
    return {
      workspace: runtime.store.identity,
      metaModel: runtime.store.metaModel.preset,
      factSheets: runtime.store.factSheets.size,
      relations: runtime.store.relations.size,
      byType,
    }
  })
}
