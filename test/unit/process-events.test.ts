// The standalone process and errors nobody caught (issue 11, point 1): an unhandled promise
// rejection is logged and the hub keeps serving; SIGTERM still closes it gracefully. Run in a
// child process, since both are about the process itself.
import { spawn } from 'node:child_process'
import { test } from 'tap'

const MODULE = new URL('../../core/process-events.ts', import.meta.url).href

function run(script: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })))
}

const SETUP = `
  import { handleProcessEvents } from ${JSON.stringify(MODULE)}
  const log = {
    info: (obj, msg) => console.log('INFO', msg, obj.signal ?? ''),
    error: (obj, msg) => console.log('ERROR', msg, obj.err?.message ?? ''),
  }
  handleProcessEvents({ delayMs: 2000, log, close: async () => console.log('CLOSED') })
`

test('an unhandled rejection is logged, and the process goes on serving', async (t) => {
  const { code, output } = await run(`${SETUP}
    Promise.reject(new Error('a client closed twice'))
    setTimeout(() => { console.log('STILL SERVING'); process.exit(0) }, 200)
  `)
  t.match(output, /ERROR unhandled promise rejection: logged, the hub keeps serving a client closed twice/)
  t.match(output, /STILL SERVING/)
  t.notMatch(output, /CLOSED/, 'not shut down')
  t.equal(code, 0)
})

test('SIGTERM closes the hub gracefully', async (t) => {
  const { output } = await run(`${SETUP}
    setInterval(() => {}, 1000)
    setTimeout(() => process.kill(process.pid, 'SIGTERM'), 50)
  `)
  t.match(output, /INFO shutting down SIGTERM/)
  t.match(output, /CLOSED/)
})
