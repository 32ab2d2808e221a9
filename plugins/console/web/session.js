// The operator's session: the bearer token kept in session storage (gone when the tab closes),
// the token's own description from GET /api/v1/me (name, role, the roles it acts as) and an API
// client that sends it.
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import { apiClient, ok } from './api.js'

const STORAGE_KEY = 'crosswalk.console.token'

/**
 * @typedef {object} Session
 * @property {string} token
 * @property {import('./api.js').Me} me
 * @property {import('./api.js').Client} api
 * @property {(role: import('./api.js').Role) => boolean} may whether the token acts as `role`
 */

/**
 * A session for `token`, when the hub takes it (its refusal is thrown otherwise); `onEnded` is
 * called when the hub stops taking it (revoked while the console is open).
 * @param {string} token
 * @param {() => void} onEnded
 * @returns {Promise<Session>}
 */
export async function openSession(token, onEnded) {
  let open = false
  const api = apiClient(token, () => {
    if (open) onEnded()
  })
  const me = await ok(api.GET('/api/v1/me'))
  open = true
  return { token, me, api, may: (role) => me.roles.includes(role) }
}

export function storedToken() {
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined
}

/** @param {string | undefined} token */
export function storeToken(token) {
  if (token === undefined) sessionStorage.removeItem(STORAGE_KEY)
  else sessionStorage.setItem(STORAGE_KEY, token)
}

export const SessionContext = createContext(/** @type {Session | undefined} */ (undefined))

/** The signed-in session (screens are shown only inside one). */
export function useSession() {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside a signed-in console')
  return session
}
