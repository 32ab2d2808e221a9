// A ticket template at its render limit does not stall the hub (issue 11 point 13): templates
// render in a worker thread, so /health/live answers while one renders.
import { test } from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { renderFieldsOffThread } from '../../../connectors/identitynow/templates/render-pool.ts'

const runaway = '{% for a in (1..100000) %}{% for b in (1..100000) %}x{% endfor %}{% endfor %}'

test('/health/live answers while a pathological template renders', async (t) => {
  const hub = await buildTestApp(t)
  // warm the worker up, so that the race below is between the render and the probe only
  t.same(await renderFieldsOffThread({ short_description: 'Access for {{ who }}' }, { who: 'jdoe' }), {
    short_description: 'Access for jdoe',
  })
  const order: string[] = []
  // ten sources of one plan: ten templates at their limit, as the stall was measured
  const renders = Array.from({ length: 10 }, () =>
    renderFieldsOffThread({ description: runaway }, {}).then(
      () => order.push('render finished'),
      (error: { code?: string; message: string }) => {
        order.push('render finished')
        return error
      },
    ),
  )
  const live = await hub.inject({ url: '/health/live' }, null)
  order.push('health answered')
  t.equal(live.statusCode, 200)
  t.equal(order[0], 'health answered', 'the probe was answered before any render finished')
  const outcomes = await Promise.all(renders)
  t.match(outcomes[0], {
    code: 'CW_IDN_TEMPLATE_INVALID',
    message: /Ticket template "description" cannot be used: .*limit/,
  })
})

test('a render past the time budget ends the worker and says so', async (t) => {
  await t.rejects(renderFieldsOffThread({ description: runaway }, {}, 50), {
    code: 'CW_IDN_TEMPLATE_INVALID',
    message: /took longer than 50 ms/,
  })
  // the next render gets a fresh worker
  t.same(await renderFieldsOffThread({ a: '{{ 1 | plus: 1 }}', b: 7 }, {}), { a: '2', b: 7 })
})
