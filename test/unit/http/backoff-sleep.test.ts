// The wait between retries: an abort ends it at once with the signal's own reason (a timeout stays
// a timeout), and a signal already aborted never starts it.
import { test } from 'tap'
import { sleep } from '../../../core/http/backoff.ts'

test('an abort during the wait rejects with the reason given', async (t) => {
  const controller = new AbortController()
  const reason = new Error('deadline passed')
  const waiting = sleep(60_000, controller.signal)
  controller.abort(reason)
  await t.rejects(waiting, reason)
})

test('an aborted signal rejects before waiting', async (t) => {
  const reason = new Error('cancelled')
  await t.rejects(sleep(60_000, AbortSignal.abort(reason)), reason)
})

test('without a signal it waits and resolves', async (t) => {
  await t.resolves(sleep(1))
})
