// Unsaved work is not lost by a click elsewhere: a screen with changes not yet saved says so
// (useUnsavedChanges), and leaving it (another screen, sign-out, a reload or closing the tab)
// asks first. The shell asks for moves inside the console (askBeforeLeaving); the browser asks
// for a reload or a closed tab (beforeunload), the only way a page may.
import { useEffect } from 'preact/hooks'

/** what each mounted screen with a draft says of it: a non-empty string while it has unsaved changes */
const drafts = new Set(/** @type {Array<() => string | undefined>} */ ([]))

/** @param {BeforeUnloadEvent} event */
function holdUnload(event) {
  if (unsavedChanges() !== undefined) event.preventDefault()
}

/**
 * What would be lost by leaving now (the first screen's own words), or undefined when nothing.
 * @returns {string | undefined}
 */
export function unsavedChanges() {
  for (const describe of drafts) {
    const what = describe()
    if (what) return what
  }
  return undefined
}

/**
 * Declares, while the calling screen is mounted, what leaving it would lose: `describe` answers
 * a short description ("the changes to mapping X") or undefined when everything is saved. It is
 * asked at the moment of leaving, so it reads the screen's latest state through a ref or closure
 * renewed on each draw.
 * @param {() => string | undefined} describe
 */
export function useUnsavedChanges(describe) {
  useEffect(() => {
    drafts.add(describe)
    if (drafts.size === 1) addEventListener('beforeunload', holdUnload)
    return () => {
      drafts.delete(describe)
      if (drafts.size === 0) removeEventListener('beforeunload', holdUnload)
    }
  }, [describe])
}
