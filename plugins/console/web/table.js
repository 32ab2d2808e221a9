// The console's list view: a screen declares its columns once (header, cell, whether it sorts or
// is searched) and its filters, and gets the filter bar, the table, its empty state and the
// server's pager laid out the same way on every screen. Sorting and searching of the rows on
// screen are @tanstack/table-core's (headless: it keeps the state and orders the rows, the markup
// is ours); which rows are on screen is the server's (filters and pager are the screen's queries).
import { useState } from 'preact/hooks'
import {
  columnFilteringFeature,
  constructTable,
  createFilteredRowModel,
  createSortedRowModel,
  functionalUpdate,
  globalFilteringFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_datetime,
  sortFn_text,
  tableFeatures,
} from '@tanstack/table-core'
import { storeReactivityBindings } from '@tanstack/table-core/store-reactivity-bindings'
import { html, formatTime } from './ui.js'

/**
 * A column: its header ('' is the actions column, named for assistive technology only), its cell,
 * `sort` the value it sorts by (header click; none: not sortable), `search` the text the table's
 * search matches (none: not searched), `rowHeader` the cell that names the row (th scope=row),
 * `className` the cells' class.
 * @template T
 * @typedef {{ id: string, header: string, cell: (row: T) => unknown, sort?: (row: T) => string | number | null | undefined, search?: (row: T) => string, rowHeader?: boolean, className?: string }} Column
 */

/**
 * A column of a text or number shown as it is and sorted by it.
 * @template T
 * @param {string} id
 * @param {string} header
 * @param {(row: T) => string | number | null | undefined} value
 * @param {Partial<Column<T>>} [more] what else the column has (rowHeader, className)
 * @returns {Column<T>}
 */
export function valueColumn(id, header, value, more = {}) {
  return { id, header, sort: value, cell: value, ...more }
}

/**
 * A column of a time (ISO 8601) written in the reader's locale, sorted by it; `none` stands for
 * a missing one.
 * @template T
 * @param {string} id
 * @param {string} header
 * @param {(row: T) => string | null | undefined} at
 * @param {unknown} [none]
 * @returns {Column<T>}
 */
export function timeColumn(id, header, at, none = null) {
  return { id, header, sort: at, cell: (row) => formatTime(at(row)) || none }
}

/**
 * A filter of the list, drawn in the filter bar: a select whose first option, "any", is the empty
 * value (an option is its value, or a value with a label), a search field, or a checkbox.
 * @typedef {{ id: string, label: string, value: string, options: ReadonlyArray<string | { value: string, label: string }>, onChange: (value: string) => void }} SelectFilter
 * @typedef {{ id: string, label: string, type: 'search', value: string, placeholder?: string, onInput: (value: string) => void }} SearchFilter
 * @typedef {{ id: string, label: string, type: 'checkbox', checked: boolean, onChange: (checked: boolean) => void }} CheckboxFilter
 * @typedef {SelectFilter | SearchFilter | CheckboxFilter} Filter
 */

/**
 * The filter bar. With `form`, the filters are a search form applied on submit (its button says
 * `form.submit`); without, each applies as it changes.
 * @param {{ filters: Filter[], form?: { label: string, submit: string, onSubmit: () => void } | undefined }} props
 */
export function Filters({ filters, form }) {
  const controls = filters.map((filter) => {
    if ('options' in filter) {
      return html`<label for=${filter.id}>${filter.label}</label>
        <select
          id=${filter.id}
          value=${filter.value}
          onChange=${(/** @type {Event} */ e) => filter.onChange(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}
        >
          <option value="">any</option>
          ${filter.options.map((option) =>
            typeof option === 'string'
              ? html`<option value=${option}>${option}</option>`
              : html`<option value=${option.value}>${option.label}</option>`,
          )}
        </select>`
    }
    if (filter.type === 'checkbox') {
      return html`<input
          id=${filter.id}
          type="checkbox"
          checked=${filter.checked}
          onChange=${(/** @type {Event} */ e) => filter.onChange(/** @type {HTMLInputElement} */ (e.currentTarget).checked)}
        />
        <label for=${filter.id}>${filter.label}</label>`
    }
    return html`<label for=${filter.id}>${filter.label}</label>
      <input
        id=${filter.id}
        type="search"
        placeholder=${filter.placeholder}
        value=${filter.value}
        onInput=${(/** @type {Event} */ e) => filter.onInput(/** @type {HTMLInputElement} */ (e.currentTarget).value)}
      />`
  })
  if (!form) return html`<div class="filters">${controls}</div>`
  return html`<form
    class="filters"
    role="search"
    aria-label=${form.label}
    onSubmit=${(/** @type {SubmitEvent} */ event) => {
      event.preventDefault()
      form.onSubmit()
    }}
  >
    ${controls} <button type="submit">${form.submit}</button>
  </form>`
}

// What the tables use of table-core (v9 has only the features a table names): sorting and the
// search (global filtering, which needs column filtering), their row models, and the sort
// functions its 'auto' picks for text, text with numbers and dates (as v8 had them built in);
// the store bindings are table-core's own state for a table outside a framework adapter.
const features = tableFeatures({
  coreReactivityFeature: storeReactivityBindings(),
  columnFilteringFeature,
  globalFilteringFeature,
  rowSortingFeature,
  filteredRowModel: createFilteredRowModel(),
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, text: sortFn_text, datetime: sortFn_datetime },
})

/** @type {Record<string, string>} */
const ARIA_SORT = { asc: 'ascending', desc: 'descending' }

/**
 * A list: the filter bar, then "Loading..." until the first rows (nothing after a failed load:
 * the screen's ErrorNotice says why), `empty` when there is no row (or none matches `search`),
 * else the table; then the pager (a slot: the screen's server pager, by offset or by cursor, or
 * "Load more"; given when there is somewhere to go, so an empty page still leads back).
 * A sortable column's header is a button; a click (or Enter, Space) sorts the rows on screen by
 * it, ascending, descending, then back to the server's order, and the header says so (aria-sort).
 * @template {import('@tanstack/table-core').RowData} T a row: an object (table-core takes records and arrays)
 * @param {{ caption: string, columns: Column<T>[], rows: T[] | undefined, loading?: boolean, rowKey: (row: T) => string, rowProps?: (row: T) => Record<string, unknown>, empty: unknown, search?: string, filters?: Filter[], filterForm?: { label: string, submit: string, onSubmit: () => void }, pager?: unknown }} props
 */
export function DataTable({
  caption,
  columns,
  rows,
  loading,
  rowKey,
  rowProps,
  empty,
  search,
  filters,
  filterForm,
  pager,
}) {
  const [sorting, setSorting] = useState(/** @type {import('@tanstack/table-core').SortingState} */ ([]))
  /** @type {Record<string, Column<T>>} */
  const byId = Object.fromEntries(columns.map((column) => [column.id, column]))
  /** @type {import('@tanstack/table-core').TableOptions<typeof features, T>} */
  const options = {
    features,
    data: rows ?? [],
    columns: columns.map((column) => ({
      id: column.id,
      header: column.header,
      // null sorts as missing: after every value, whichever the direction
      accessorFn: (row) => column.sort?.(row) ?? column.search?.(row) ?? undefined,
      enableSorting: column.sort !== undefined,
      enableGlobalFilter: column.search !== undefined,
      sortUndefined: 'last',
    })),
    // sorting is the component's (a header click goes through onSortingChange), the search the screen's
    state: { sorting, globalFilter: search?.trim() ?? '' },
    onSortingChange: (updater) => setSorting((previous) => functionalUpdate(updater, previous)),
    renderFallbackValue: null,
    getColumnCanGlobalFilter: () => true,
    globalFilterFn: (row, columnId, needle) =>
      (byId[columnId]?.search?.(row.original) ?? '').toLowerCase().includes(String(needle).toLowerCase()),
  }
  // one table for the component's life; its options (rows, state) are brought up to date each render
  const [table] = useState(() => constructTable(options))
  table.setOptions(options)

  const bar = filters || filterForm ? html`<${Filters} filters=${filters ?? []} form=${filterForm} />` : null
  if (rows === undefined) return html`${bar}${loading ? html`<p class="loading">Loading...</p>` : null}`
  const shown = table.getRowModel().rows
  if (shown.length === 0)
    return html`${bar}
      <p class="empty">${empty}</p>
      ${pager}`
  return html`${bar}
    <table>
      <caption class="visually-hidden">
        ${caption}
      </caption>
      <thead>
        <tr>
          ${table.getFlatHeaders().map((header) => {
            const column = byId[header.column.id]
            const label = column?.header || html`<span class="visually-hidden">Actions</span>`
            if (!header.column.getCanSort()) return html`<th key=${header.id} scope="col">${label}</th>`
            const sorted = header.column.getIsSorted()
            return html`<th key=${header.id} scope="col" aria-sort=${sorted ? ARIA_SORT[sorted] : undefined}>
              <button type="button" class="sort" onClick=${header.column.getToggleSortingHandler()}>
                ${label}<span class="sort-mark" aria-hidden="true"
                  >${sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}</span
                >
              </button>
            </th>`
          })}
        </tr>
      </thead>
      <tbody>
        ${shown.map((row) => {
          const record = row.original
          return html`<tr key=${rowKey(record)} ...${rowProps?.(record) ?? {}}>
            ${columns.map((column) =>
              column.rowHeader
                ? html`<th key=${column.id} scope="row" class=${column.className}>${column.cell(record)}</th>`
                : html`<td key=${column.id} class=${column.className}>${column.cell(record)}</td>`,
            )}
          </tr>`
        })}
      </tbody>
    </table>
    ${pager}`
}
