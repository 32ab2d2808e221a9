// What a call that failed below HTTP means, for every system alike: whether the request can have
// reached the server (a refused or unreachable connection cannot: sending it again is harmless),
// whether it timed out, and what to say. Node's TLS errors carry OpenSSL's own text
// ("error:0A000086:SSL routines::certificate verify failed"), which names library internals and
// helps nobody fix anything; a failure is described here by its code, in words that say what
// is wrong with the certificate or the port, and that code is kept for searching.

export interface TransportFailure {
  code?: string
  message?: string
  name?: string
  cause?: { code?: string; message?: string }
}

const TLS_CODE = /CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/

const TLS_WORDS: Array<[RegExp, string]> = [
  [/SELF_SIGNED/, 'the server presented a self-signed certificate'],
  [
    /UNABLE_TO_(GET_ISSUER|VERIFY_LEAF)|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE/,
    'the server certificate is not signed by a trusted CA',
  ],
  [/CERT_HAS_EXPIRED/, 'the server certificate has expired'],
  [/CERT_NOT_YET_VALID/, 'the server certificate is not valid yet'],
  [/ALTNAME|HOSTNAME/, 'the server certificate is not valid for this host name'],
  [/CERT_REVOKED/, 'the server certificate was revoked'],
  [
    /WRONG_VERSION_NUMBER|EPROTO|PACKET_LENGTH_TOO_LONG/,
    'the server did not answer in TLS on this port (is it plain http?)',
  ],
  [
    /UNSUPPORTED_PROTOCOL|PROTOCOL_VERSION|NO_PROTOCOLS/,
    'the server offers no TLS version the hub accepts (1.2 or later)',
  ],
  [/HANDSHAKE|ALERT/, 'the server ended the TLS handshake'],
]

/** the connection itself failed (refused, no such host, unreachable, no connect in time): nothing was sent */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
])
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'])

/** the error's code and its cause's (undici wraps socket errors) */
function codesOf(error: unknown): string[] {
  const e = (error ?? {}) as TransportFailure
  return [e.code, e.cause?.code].filter((c): c is string => typeof c === 'string' && c !== '')
}

/** The request never left: the connection to the server (or the proxy) could not be made. */
export function neverSent(error: unknown): boolean {
  return codesOf(error).some((c) => NEVER_SENT.has(c))
}

/** undici's connect, headers or body timeout, or an AbortSignal.timeout that fired */
export function isTimeout(error: unknown): boolean {
  return codesOf(error).some((c) => TIMEOUTS.has(c)) || (error as { name?: unknown } | null)?.name === 'TimeoutError'
}

function codeOf(error: TransportFailure): string {
  const codes = codesOf(error)
  return codes.find((c) => TLS_CODE.test(c)) ?? codes[0] ?? ''
}

export function isTlsFailure(error: unknown): boolean {
  return TLS_CODE.test(codeOf((error ?? {}) as TransportFailure))
}

/** "the server presented a self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)" */
export function describeTlsFailure(error: unknown): string {
  const code = codeOf((error ?? {}) as TransportFailure)
  const words = TLS_WORDS.find(([pattern]) => pattern.test(code))?.[1] ?? 'the TLS handshake failed'
  return code ? `${words} (${code})` : words
}

/** A failure below HTTP in words fit for a message: TLS ones described, others by code and text. */
export function describeTransportFailure(error: unknown): string {
  if (isTlsFailure(error)) return describeTlsFailure(error)
  const e = (error ?? {}) as TransportFailure
  const code = e.code ?? e.cause?.code ?? e.name ?? 'network error'
  return `${code}: ${e.message ?? String(error)}`
}
