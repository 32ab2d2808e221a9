// The server's socket timeouts from the hub's settings. Node's inactivity timeout
// (connectionTimeout) also runs while a handler is still working, so by default there is none:
// a request that takes long (mapping defaults, advice on a large instance) gets its answer.
import { test } from 'tap'
import Fastify from 'fastify'
import { loadConfig } from '../../../modules.ts'
import { serverOptions } from '../../../server-options.ts'

async function slowAnswer(connectionMs: number | undefined, handlerMs: number) {
  const config = loadConfig({ env: {}, argv: [] })
  if (connectionMs !== undefined) config.timeouts.connectionMs = connectionMs
  const app = Fastify(serverOptions(config))
  app.post('/slow', async () => {
    await new Promise((resolve) => setTimeout(resolve, handlerMs))
    return { done: true }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  try {
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const res = await fetch(`http://127.0.0.1:${port}/slow`, { method: 'POST' })
    return { status: res.status, body: await res.json() }
  } catch (error) {
    return { failed: (error as { cause?: { code?: string } }).cause?.code ?? String(error) }
  } finally {
    await app.close()
  }
}

test('by default a request answers however long its handler works', async (t) => {
  t.equal(loadConfig({ env: {}, argv: [] }).timeouts.connectionMs, 0)
  t.same(await slowAnswer(undefined, 400), { status: 200, body: { done: true } })
})

test('an operator who sets an inactivity timeout shorter than a handler loses that answer, as documented', async (t) => {
  t.same(await slowAnswer(150, 400), { failed: 'UND_ERR_SOCKET' })
})
