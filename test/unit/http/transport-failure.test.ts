// Which failures below HTTP mean the request never left (so that even a POST may be sent again),
// decided once for every system: the ServiceNow, LeanIX and ISC clients used three lists that had
// drifted apart (only one knew EHOSTUNREACH, none looked at the code undici wraps in `cause`).
import { test } from 'tap'
import { isTimeout, neverSent } from '../../../core/http/transport-failure.ts'

const failure = (code: string, wrapped = false) =>
  wrapped ? Object.assign(new Error('fetch failed'), { cause: { code } }) : Object.assign(new Error(code), { code })

test('a connection that could not be made sent nothing; anything later may have reached the server', async (t) => {
  for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']) {
    t.ok(neverSent(failure(code)), code)
    t.ok(neverSent(failure(code, true)), `${code} wrapped in cause`)
  }
  for (const code of ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']) {
    t.notOk(neverSent(failure(code)), code)
  }
  t.notOk(neverSent(new Error('no code')))
  t.notOk(neverSent(undefined))
})

test('timeouts: undici connect, headers and body timeouts, and an AbortSignal.timeout', async (t) => {
  for (const code of ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']) {
    t.ok(isTimeout(failure(code)), code)
  }
  t.ok(isTimeout(new DOMException('timed out', 'TimeoutError')))
  t.notOk(isTimeout(failure('ECONNRESET')))
})
