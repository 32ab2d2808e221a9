// Sign-in: a bearer token (an admin gets one at first start; POST /api/v1/tokens makes more),
// checked with GET /api/v1/me before the console opens.
import { useState } from 'preact/hooks'
import { html, ErrorNotice } from '../ui.js'
/** @typedef {import('../session.js').Session} Session */

/**
 * @param {{ error: unknown, open: (token: string) => Promise<Session>, onSignedIn: (session: Session) => void }} props
 */
export function SignIn({ error, open, onSignedIn }) {
  const [token, setToken] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState(/** @type {unknown} */ (undefined))

  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault()
    setBusy(true)
    setProblem(undefined)
    try {
      onSignedIn(await open(token.trim()))
    } catch (refused) {
      setProblem(refused)
      setBusy(false)
    }
  }

  return html`<main id="main" class="sign-in">
    <h1>Crosswalk console</h1>
    <form onSubmit=${submit}>
      <label for="token">Bearer token</label>
      <input
        id="token"
        type="password"
        autocomplete="off"
        required
        value=${token}
        onInput=${(/** @type {Event} */ e) => setToken(/** @type {HTMLInputElement} */ (e.currentTarget).value)}
      />
      <p class="hint">Kept in this tab only, until you sign out or close it.</p>
      <${ErrorNotice} error=${problem ?? error} />
      <button type="submit" class="primary" disabled=${busy}>Sign in</button>
    </form>
  </main>`
}
