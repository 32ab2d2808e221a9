// The console's shell: sign-in until a token is accepted, then a header (who is signed in, sign
// out), the navigation and the screen the URL's hash names (#/connections, #/runs ...).
import { render } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ConfirmDialog, html } from './ui.js'
import { unsavedChanges } from './leave-guard.js'
import { SessionContext, openSession, storeToken, storedToken } from './session.js'
import { SignIn } from './screens/sign-in.js'
import { Connections } from './screens/connections.js'
import { Mappings } from './screens/mappings.js'
import { Runs } from './screens/runs.js'
import { RunDetail } from './screens/run.js'
import { Plan } from './screens/plan.js'
import { Versions } from './screens/versions.js'
import { IdentityNow } from './screens/identitynow.js'
import { Audit } from './screens/audit.js'
import { Tokens } from './screens/tokens.js'
import { MappingEditor } from './screens/mapping-editor.js'

/** @typedef {import('./session.js').Session} Session */

/**
 * The screens, by the first segment of the hash; `under` names the navigation entry a screen
 * belongs to, `id` takes the next segment (#/plan/<mapping id>), and a screen with a `role` is
 * offered only to a token acting as it.
 * @type {Array<{ path: string, title: string, Screen: (props: { id: string }) => unknown, under?: string, role?: import('./api.js').Role }>}
 */
const SCREENS = [
  { path: 'connections', title: 'Connections', Screen: Connections },
  { path: 'mappings', title: 'Mappings', Screen: Mappings },
  { path: 'runs', title: 'Runs', Screen: Runs },
  { path: 'identitynow', title: 'IdentityNow', Screen: IdentityNow },
  { path: 'audit', title: 'Audit log', Screen: Audit, role: 'admin' },
  { path: 'tokens', title: 'Tokens', Screen: Tokens, role: 'admin' },
  { path: 'run', title: 'Run', Screen: ({ id }) => html`<${RunDetail} runId=${id} />`, under: 'runs' },
  { path: 'plan', title: 'Plan', Screen: ({ id }) => html`<${Plan} mappingId=${id} />`, under: 'mappings' },
  { path: 'versions', title: 'Versions', Screen: ({ id }) => html`<${Versions} mappingId=${id} />`, under: 'mappings' },
  {
    path: 'editor',
    title: 'Mapping editor',
    Screen: ({ id }) => html`<${MappingEditor} mappingId=${id} />`,
    under: 'mappings',
  },
]

function currentRoute() {
  const [path = '', id = ''] = location.hash.replace(/^#\/?/, '').split('/')
  return SCREENS.some((screen) => screen.path === path) ? { path, id } : { path: 'connections', id: '' }
}

/**
 * The screen the hash names, followed as it changes; a move away from a screen with unsaved
 * changes is held (the address put back without a new history entry) until the operator
 * confirms it: `leaving` says what would be lost and how to go on.
 */
function useHashRoute() {
  const [route, setRoute] = useState(currentRoute)
  const [leaving, setLeaving] = useState(/** @type {{ what: string, go: () => void } | undefined} */ (undefined))
  const here = useRef(location.hash)
  useEffect(() => {
    const follow = () => {
      const target = location.hash
      const what = unsavedChanges()
      if (what !== undefined && target !== here.current) {
        history.replaceState(history.state, '', here.current || location.pathname)
        setLeaving({
          what,
          go() {
            // a new history entry, as the click would have made, without a second hashchange
            history.pushState(null, '', target)
            here.current = target
            setRoute(currentRoute())
          },
        })
        return
      }
      here.current = target
      setRoute(currentRoute())
    }
    addEventListener('hashchange', follow)
    return () => removeEventListener('hashchange', follow)
  }, [])
  return { ...route, leaving, setLeaving }
}

/** @param {{ session: Session, onSignOut: () => void }} props */
function Shell({ session, onSignOut }) {
  const { path, id, leaving, setLeaving } = useHashRoute()
  function signOut() {
    const what = unsavedChanges()
    if (what === undefined) onSignOut()
    else setLeaving({ what, go: onSignOut })
  }
  const offered = SCREENS.filter((s) => !s.role || session.may(s.role))
  const screen = offered.find((s) => s.path === path) ?? offered[0]
  const current = screen?.under ?? screen?.path
  useEffect(() => {
    document.title = `${screen?.title ?? ''} - Crosswalk console`
  }, [screen])
  return html`<${SessionContext.Provider} value=${session}>
    <a
      class="skip"
      href="#main"
      onClick=${(/** @type {MouseEvent} */ event) => {
        // the hash names screens: moving focus must not change it
        event.preventDefault()
        document.getElementById('main')?.focus()
      }}
      >Skip to content</a
    >
    <header class="top">
      <span class="brand">Crosswalk</span>
      <nav aria-label="Screens">
        <ul>
          ${offered
            .filter((s) => !s.under)
            .map(
              (s) =>
                html`<li>
                  <a href=${`#/${s.path}`} aria-current=${s.path === current ? 'page' : undefined}>${s.title}</a>
                </li>`,
            )}
        </ul>
      </nav>
      <span class="who">
        Signed in as <strong>${session.me.name}</strong> (<span data-testid="role">${session.me.role}</span>)
      </span>
      <button type="button" onClick=${signOut}>Sign out</button>
    </header>
    <main id="main" tabindex="-1">
      ${screen ? html`<${screen.Screen} key=${`${screen.path}/${id}`} id=${id} />` : null}
    </main>
    ${
      leaving
        ? html`<${ConfirmDialog}
            title="Leave without saving?"
            confirmLabel="Leave without saving"
            onConfirm=${() => {
              setLeaving(undefined)
              leaving.go()
            }}
            onCancel=${() => setLeaving(undefined)}
          >
            <p>Leaving now loses ${leaving.what}.</p>
          <//>`
        : null
    }
  <//>`
}

function App() {
  const [session, setSession] = useState(/** @type {Session | undefined} */ (undefined))
  const [resuming, setResuming] = useState(() => storedToken() !== undefined)
  const [error, setError] = useState(/** @type {unknown} */ (undefined))

  /** @param {unknown} [why] */
  function signOut(why) {
    storeToken(undefined)
    setSession(undefined)
    setError(why)
  }

  /** @param {string} token */
  const open = (token) =>
    openSession(token, () =>
      signOut(new Error('The hub no longer accepts this token (revoked, or unknown to it): sign in again')),
    )

  // a token kept in this tab's session storage signs in again after a reload
  useEffect(() => {
    const token = storedToken()
    if (token === undefined) return
    open(token)
      .then(setSession, signOut)
      .finally(() => setResuming(false))
  }, [])

  if (resuming) return html`<p class="loading">Signing in...</p>`
  if (!session) {
    return html`<${SignIn}
      error=${error}
      open=${open}
      onSignedIn=${(/** @type {Session} */ opened) => {
        storeToken(opened.token)
        setError(undefined)
        setSession(opened)
      }}
    />`
  }
  return html`<${Shell} session=${session} onSignOut=${() => signOut()} />`
}

const root = document.getElementById('console')
if (root) render(html`<${App} />`, root)
else document.body.append('The console page has no #console element')
