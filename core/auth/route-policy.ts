// What a route needs: public, or the weakest role allowed. Every route declares it in its config,
// routes added by libraries included: the plugin that mounts a library stamps its routes (an
// onRoute hook, e.g. Swagger UI following publicDocs), so the kernel knows no URL.
// Which kinds of principal a route takes is declared the same way: hub tokens only, unless the
// route names more (a module's own API may also take the tokens of its API clients).
import { HUB_TOKEN } from './principal.ts'
import type { Role } from './roles.ts'

export interface RouteDeclaration {
  /** the route pattern, e.g. /api/v1/tokens/:id; undefined for the not-found handler */
  url: string | undefined
  config: { public?: boolean; role?: Role; accepts?: readonly string[] } | undefined
}

export type Access = { public: true } | { public: false; role: Role; accepts: readonly string[] }

const HUB_TOKENS_ONLY: readonly string[] = [HUB_TOKEN]

export function requiredAccess(route: RouteDeclaration): Access {
  const declared = route.config ?? {}
  // No route matched: any valid token may learn that (a 404), anonymous callers may not.
  if (route.url === undefined) return { public: false, role: 'viewer', accepts: HUB_TOKENS_ONLY }
  if (declared.public === true) return { public: true }
  // Closed by default: whatever declares nothing needs an admin.
  return { public: false, role: declared.role ?? 'admin', accepts: declared.accepts ?? HUB_TOKENS_ONLY }
}
