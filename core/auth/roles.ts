// Roles, weakest first: a viewer reads; an operator also runs and cancels; an admin also
// configures and manages tokens.
export const ROLES = ['viewer', 'operator', 'admin'] as const
export type Role = (typeof ROLES)[number]

export function roleAllows(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(required)
}
