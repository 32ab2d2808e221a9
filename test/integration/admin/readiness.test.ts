// /health/ready covers the job queue as well as the store and the migrations: an instance whose
// queue is not started (or does not answer) takes no runs, event batches or checks, so it is not
// ready. The answer keeps its shape: status, and one entry per check.
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'

t.setTimeout(300_000)

t.test('ready while the queue is started; not ready once it stops, with the store still fine', async (t) => {
  const hub = await buildTestApp(t)
  const ready = await hub.inject({ url: '/health/ready' }, null)
  t.equal(ready.statusCode, 200, ready.body)
  t.same(ready.json(), {
    status: 'ok',
    checks: {
      store: { ok: true, detail: hub.db.kind },
      migrations: { ok: true },
      queue: { ok: true, detail: 'started' },
    },
  })

  await hub.hub.queue.stop(1000)
  const down = await hub.inject({ url: '/health/ready' }, null)
  t.equal(down.statusCode, 503)
  t.same(down.json(), {
    status: 'unavailable',
    checks: {
      store: { ok: true, detail: hub.db.kind },
      migrations: { ok: true },
      queue: { ok: false, detail: 'stopped' },
    },
  })
  t.equal((await hub.inject({ url: '/health/live' }, null)).statusCode, 200, 'still alive')
})

t.test("not ready while the queue's tables do not answer; ready again once they do", async (t) => {
  const hub = await buildTestApp(t)
  // as if the queue's schema were unreachable (pg-boss's own connection is what is asked)
  await hub.db.query('alter table pgboss.version rename to version_away')
  const away = await hub.inject({ url: '/health/ready' }, null)
  await hub.db.query('alter table pgboss.version_away rename to version')
  t.equal(away.statusCode, 503)
  t.match(away.json(), {
    status: 'unavailable',
    checks: { store: { ok: true }, queue: { ok: false, detail: 'unreachable' } },
  })
  const back = await hub.inject({ url: '/health/ready' }, null)
  t.equal(back.statusCode, 200, back.body)
})
