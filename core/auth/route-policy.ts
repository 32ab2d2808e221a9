// What a route needs: public, or the weakest role allowed. Routes declare it in their config;
// the few routes added by libraries that cannot carry our config (Swagger UI, metrics,
// GraphQL) are placed here by path, following the settings that make them public.
import type { Role } from './roles.ts'

export interface PublicSettings {
  publicHealth: boolean
  publicMetrics: boolean
  publicDocs: boolean
}

export interface RouteDeclaration {
  /** the route pattern, e.g. /api/v1/tokens/:id; undefined for the not-found handler */
  url: string | undefined
  config: { public?: boolean; role?: Role } | undefined
}

export type Access = { public: true } | { public: false; role: Role }

function under(url: string, prefix: string): boolean {
  return url === prefix || url.startsWith(`${prefix}/`)
}

export function requiredAccess(route: RouteDeclaration, settings: PublicSettings): Access {
  const declared = route.config ?? {}
  // No route matched: any valid token may learn that (a 404), anonymous callers may not.
  if (route.url === undefined) return { public: false, role: 'viewer' }
  const url = route.url
  if (under(url, '/docs') || under(url, '/graphiql')) {
    return settings.publicDocs ? { public: true } : { public: false, role: declared.role ?? 'viewer' }
  }
  if (under(url, '/metrics')) {
    return settings.publicMetrics ? { public: true } : { public: false, role: declared.role ?? 'viewer' }
  }
  if (declared.public === true) return { public: true }
  // GraphQL reads need a viewer; the GraphQL plugin checks stronger roles per mutation.
  if (url === '/graphql' && !declared.role) return { public: false, role: 'viewer' }
  // Closed by default: whatever declares nothing needs an admin.
  return { public: false, role: declared.role ?? 'admin' }
}
