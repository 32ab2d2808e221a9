// Where the vault master key comes from: CROSSWALK_MASTER_KEY, else a key file (the configured
// one, else <dataDir>/master.key). Only the embedded store may create the key file on first
// start: hub instances sharing a PostgreSQL server must share one key, so there a missing key
// stops start-up instead of each instance inventing its own.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { VaultErrors } from './errors.ts'
import { formatMasterKey, generateMasterKey, parseMasterKey, type MasterKey } from './master-key.ts'

export interface KeySettings {
  masterKey?: string | undefined
  masterKeyFile?: string | undefined
  dataDir: string
  databaseUrl?: string | undefined
}

export type ResolvedKey =
  | { origin: 'setting'; key: MasterKey }
  | { origin: 'file' | 'created-file'; key: MasterKey; path: string; warning?: string }
  /** in-memory store: the key lives as long as the secrets do */
  | { origin: 'ephemeral'; key: MasterKey }

export interface ResolveOptions {
  /** may a missing default key file be created (the hub at start: yes; the rotation tool: no) */
  create: boolean
}

export function defaultKeyFile(dataDir: string): string | undefined {
  return dataDir === ':memory:' ? undefined : join(dataDir, 'master.key')
}

function readKeyFile(path: string): { key: MasterKey; warning?: string } {
  let text: string
  let mode: number
  try {
    mode = statSync(path).mode
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new VaultErrors.KEY_FILE(path, (error as Error).message)
  }
  const key = parseMasterKey(text, `key file ${path}`)
  const exposed = (mode & 0o077) !== 0
  return exposed
    ? { key, warning: `key file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it` }
    : { key }
}

export function resolveMasterKey(settings: KeySettings, options: ResolveOptions): ResolvedKey {
  if (settings.masterKey !== undefined) {
    if (settings.masterKeyFile !== undefined) {
      throw new VaultErrors.KEY_INVALID(
        'CROSSWALK_MASTER_KEY',
        'CROSSWALK_MASTER_KEY_FILE is set as well; set only one of them',
      )
    }
    return { origin: 'setting', key: parseMasterKey(settings.masterKey, 'CROSSWALK_MASTER_KEY') }
  }
  if (settings.masterKeyFile !== undefined) {
    if (!existsSync(settings.masterKeyFile)) {
      throw new VaultErrors.KEY_FILE(settings.masterKeyFile, 'it does not exist (CROSSWALK_MASTER_KEY_FILE)')
    }
    return { origin: 'file', path: settings.masterKeyFile, ...readKeyFile(settings.masterKeyFile) }
  }
  const path = defaultKeyFile(settings.dataDir)
  if (path && existsSync(path)) return { origin: 'file', path, ...readKeyFile(path) }
  if (settings.databaseUrl) throw new VaultErrors.KEY_REQUIRED()
  if (!path) return { origin: 'ephemeral', key: generateMasterKey() }
  if (!options.create) throw new VaultErrors.KEY_FILE(path, 'it does not exist; the hub creates it at its first start')
  const key = generateMasterKey()
  try {
    mkdirSync(settings.dataDir, { recursive: true, mode: 0o700 })
    writeFileSync(path, formatMasterKey(key), { mode: 0o600, flag: 'wx' })
  } catch (error) {
    throw new VaultErrors.KEY_FILE(path, (error as Error).message)
  }
  return { origin: 'created-file', path, key }
}
