// Hands a generated first admin token to the person starting the hub, and to nobody else.
//
// It never goes through the JSON log: log lines are shipped and retained by collectors, and a
// bearer token kept there is a standing credential for anyone who can read the logs.
// - On a terminal (stderr is a TTY) it is printed to stderr: a person is watching, and a
//   terminal is not a retained log.
// - Otherwise (a service, a container) stderr is collected just like stdout, so the token is
//   written to <dataDir>/initial-admin-token with mode 0600 and only that path is logged.
// - With the in-memory store there is no folder and the token dies with the process, so stderr is
//   the only place left (sandbox and tests).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface AnnounceTarget {
  dataDir: string
  stderr: { isTTY?: boolean; write(text: string): unknown }
}

export type Announced = { where: 'stderr' } | { where: 'file'; path: string }

export function announceGeneratedToken(token: string, target: AnnounceTarget): Announced {
  if (target.stderr.isTTY || target.dataDir === ':memory:') {
    target.stderr.write(
      `\n  Crosswalk generated the first admin token (shown once, keep it in a password manager):\n\n` +
        `    ${token}\n\n  Create more tokens with POST /api/v1/tokens, then you may revoke this one.\n\n`,
    )
    return { where: 'stderr' }
  }
  const path = join(target.dataDir, 'initial-admin-token')
  mkdirSync(target.dataDir, { recursive: true })
  // A file left from an earlier start holds a token the store no longer knows (only an empty
  // store generates one): remove it and create afresh, so the mode is ours and nobody else's.
  rmSync(path, { force: true })
  writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' })
  return { where: 'file', path }
}
