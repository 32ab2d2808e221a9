// The XML form of an answer (Accept: application/xml): <response> wrapping one <result> per
// record, each field an element; nested objects (reference fields) become child elements.
const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('')
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v))
      .join('')
    return `<${name}>${inner}</${name}>`
  }
  return `<${name}>${escape(String(value))}</${name}>`
}

export function toXml(payload: unknown): string {
  const inner =
    payload && typeof payload === 'object'
      ? Object.entries(payload as Record<string, unknown>)
          .map(([k, v]) => element(k, v))
          .join('')
      : escape(String(payload))
  return `<?xml version="1.0" encoding="UTF-8"?><response>${inner}</response>`
}
