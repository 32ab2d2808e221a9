// What a route needs: public, or the weakest role allowed. Every route declares it in its config,
// routes added by libraries included: the plugin that mounts a library stamps its routes (an
// onRoute hook, e.g. Swagger UI following publicDocs), so the kernel knows no URL.
import type { Role } from './roles.ts'

export interface RouteDeclaration {
  /** the route pattern, e.g. /api/v1/tokens/:id; undefined for the not-found handler */
  url: string | undefined
  config: { public?: boolean; role?: Role } | undefined
}

export type Access = { public: true } | { public: false; role: Role }

export function requiredAccess(route: RouteDeclaration): Access {
  const declared = route.config ?? {}
  // No route matched: any valid token may learn that (a 404), anonymous callers may not.
  if (route.url === undefined) return { public: false, role: 'viewer' }
  if (declared.public === true) return { public: true }
  // Closed by default: whatever declares nothing needs an admin.
  return { public: false, role: declared.role ?? 'admin' }
}
