// Shared set-up of the ServiceNow emulator contract tests: an emulator on 127.0.0.1:0 closed in
// teardown, and a small client that speaks to it like any HTTP client would.
import type { Test } from 'tap'
import {
  startServiceNowEmulator,
  type RunningEmulator,
  type StartOptions,
} from '../../../connectors/servicenow/emulator/index.ts'

export const ADMIN = 'Basic ' + Buffer.from('admin:admin').toString('base64')
export const basic = (user: string, password: string): string =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64')

export async function emulator(t: Test, options: StartOptions = {}): Promise<RunningEmulator> {
  const running = await startServiceNowEmulator(options)
  t.teardown(() => running.close())
  return running
}

export interface Answer {
  status: number
  headers: Headers
  text: string
  json: any // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary answers
}

export async function call(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; auth?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  if (options.auth !== null) headers.authorization = options.auth ?? ADMIN
  let body: string | undefined
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    headers['content-type'] ??= 'application/json'
  }
  const res = await fetch(base + path, { method, headers, body })
  const text = await res.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, text, json }
}

export const get = (base: string, path: string, options: Parameters<typeof call>[3] = {}) =>
  call(base, 'GET', path, options)
