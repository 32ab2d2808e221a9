// What every screen shares: the html template tag (htm over Preact), loading data with its error,
// a confirmation dialog, a run status badge, pagers, what a load shows, and how times and
// durations are written. Lists and their filters are table.js'.
import { h } from 'preact'
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import htm from 'htm'

export const html = htm.bind(h)

/**
 * Loads with `load` now and whenever `deps` change; `reload` loads again.
 * @template T
 * @param {() => Promise<T>} load
 * @param {unknown[]} deps
 * @returns {{ data: T | undefined, error: unknown, loading: boolean, reload: () => Promise<void> }}
 */
export function useLoad(load, deps) {
  const [state, setState] = useState(
    /** @type {{ data: T | undefined, error: unknown, loading: boolean }} */ ({
      data: undefined,
      error: undefined,
      loading: true,
    }),
  )
  // answers of a superseded load are dropped
  const generation = useRef(0)
  const reload = useCallback(async () => {
    const mine = ++generation.current
    setState((previous) => ({ ...previous, loading: true }))
    try {
      const data = await load()
      if (mine === generation.current) setState({ data, error: undefined, loading: false })
    } catch (error) {
      if (mine === generation.current) setState((previous) => ({ ...previous, error, loading: false }))
    }
  }, deps)
  useEffect(() => {
    void reload()
  }, [reload])
  return { ...state, reload }
}

/**
 * `value` once it has stayed the same for `ms` (a search sent when typing pauses, not per key).
 * @template T
 * @param {T} value
 * @param {number} ms
 * @returns {T}
 */
export function useSettled(value, ms) {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

/** @param {unknown} error */
export function messageOf(error) {
  if (error instanceof Error) return error.message
  return String(error)
}

/**
 * An error said where it happened, with the hub's code when it has one.
 * @param {{ error: unknown }} props
 */
export function ErrorNotice({ error }) {
  if (!error) return null
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined
  return html`<p class="error" role="alert">${code ? html`<code>${code}</code> ` : null}${messageOf(error)}</p>`
}

/**
 * A modal question (the browser's dialog element: focus stays inside, Escape cancels).
 * @param {{ title: string, children?: unknown, confirmLabel: string, onConfirm: () => void, onCancel: () => void }} props
 */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onCancel }) {
  const ref = useRef(/** @type {HTMLDialogElement | null} */ (null))
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])
  return html`<dialog
    ref=${ref}
    aria-labelledby="confirm-title"
    onCancel=${(/** @type {Event} */ event) => {
      event.preventDefault()
      onCancel()
    }}
  >
    <h2 id="confirm-title">${title}</h2>
    <div>${children}</div>
    <div class="actions">
      <button type="button" onClick=${onCancel}>Cancel</button>
      <button type="button" class="danger" onClick=${onConfirm}>${confirmLabel}</button>
    </div>
  </dialog>`
}

/** @param {{ status: string | null | undefined }} props */
export function StatusBadge({ status }) {
  const value = status ?? 'unknown'
  return html`<span class=${`badge status-${value.toLowerCase()}`}>${value}</span>`
}

/** @param {string | null | undefined} iso */
export function formatTime(iso) {
  if (!iso) return ''
  const date = new Date(iso)
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
}

/**
 * @param {string | null | undefined} from
 * @param {string | null | undefined} to
 */
export function formatDuration(from, to) {
  if (!from || !to) return ''
  const ms = Date.parse(to) - Date.parse(from)
  if (!Number.isFinite(ms) || ms < 0) return ''
  if (ms < 1000) return `${ms} ms`
  const seconds = ms / 1000
  if (seconds < 60) return `${seconds.toFixed(1)} s`
  const minutes = Math.floor(seconds / 60)
  return `${minutes} min ${Math.round(seconds % 60)} s`
}

/**
 * Previous and next page of a paged list, and which records are shown; a missing handler is a
 * page that does not exist (its button is disabled). The buttons say "Previous page" and "Next
 * page" unless `previous` and `next` name the pages (a list newest first: "Newer runs").
 * @param {{ label: string, position: string, onPrevious?: (() => void) | undefined, onNext?: (() => void) | undefined, previous?: string, next?: string }} props
 */
export function Pager({ label, position, onPrevious, onNext, previous = 'Previous page', next = 'Next page' }) {
  return html`<nav class="pager" aria-label=${label}>
    <button type="button" disabled=${!onPrevious} onClick=${onPrevious}>${previous}</button>
    <span>${position}</span>
    <button type="button" disabled=${!onNext} onClick=${onNext}>${next}</button>
  </nav>`
}

/**
 * The pager of a list paged by offset: `page` holds the records from `offset` and the total;
 * none on an empty first page (there is nowhere to go).
 * @param {{ label: string, noun: string, offset: number, page: { items: unknown[], total: number }, size: number, onOffset: (offset: number) => void, previous?: string, next?: string }} props
 */
export function OffsetPager({ label, noun, offset, page, size, onOffset, previous, next }) {
  if (page.items.length === 0 && offset === 0) return null
  return html`<${Pager}
    label=${label}
    previous=${previous}
    next=${next}
    position=${`${noun} ${offset + 1} to ${offset + page.items.length} of ${page.total}`}
    onPrevious=${offset > 0 ? () => onOffset(Math.max(0, offset - size)) : undefined}
    onNext=${offset + size < page.total ? () => onOffset(offset + size) : undefined}
  />`
}

/**
 * What a screen shows of a load: its data rendered, "Loading..." until the first answer, nothing
 * after a failed one (the screen's ErrorNotice says why).
 * @template T
 * @param {{ data: T | undefined, loading: boolean }} loaded
 * @param {(data: T) => unknown} render
 */
export function whenLoaded(loaded, render) {
  if (loaded.data !== undefined) return render(loaded.data)
  return loaded.loading ? html`<p class="loading">Loading...</p>` : null
}
