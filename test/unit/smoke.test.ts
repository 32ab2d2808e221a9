import { test } from 'tap'
test('node 24', async (t) => {
  t.match(process.version, /^v24\./)
})
