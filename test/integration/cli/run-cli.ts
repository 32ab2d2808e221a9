// Runs the `crosswalk` command as a user does: a child process of package.json's bin, its output
// piped (so progress comes as plain lines), against a hub listening on a port.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'

const ROOT = new URL('../../../', import.meta.url)
const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { bin: Record<string, string> }
export const BIN = fileURLToPath(new URL(pkg.bin.crosswalk as string, ROOT))

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface CliProcess {
  child: ChildProcess
  /** what it wrote to stderr so far */
  stderr(): string
  done: Promise<CliResult>
}

/** Starts `crosswalk ...args`; `env` adds to (undefined: removes from) the test's environment. */
export function startCli(args: string[], env: Record<string, string | undefined> = {}, bin = BIN): CliProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env }
  delete childEnv.CROSSWALK_URL
  delete childEnv.CROSSWALK_TOKEN
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k]
    else childEnv[k] = v
  }
  const child = spawn(process.execPath, [bin, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s))
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s))
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
  return { child, stderr: () => stderr, done }
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, bin = BIN): Promise<CliResult> {
  return startCli(args, env, bin).done
}

/** Makes the test's hub listen on a free local port; its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('the hub listens on no TCP port')
  return `http://127.0.0.1:${address.port}`
}

/** a local port nothing listens on (for a hub that cannot be reached, or one to start there) */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}
