// Rotates the vault master key: every secret is re-sealed under the new key in one transaction
// and the new key id recorded as current; the old key is not needed afterwards.
//
//   npm run vault:rotate -- --new-key-file <path>     (created with a fresh key when missing)
//   CROSSWALK_NEW_MASTER_KEY=<base64|hex> npm run vault:rotate
//
// The current key comes from the hub's own settings (CROSSWALK_MASTER_KEY, the key file, --config).
// With the embedded store, stop the hub first: its data folder is not shared between processes.
// Then point every instance at the new key (CROSSWALK_MASTER_KEY or CROSSWALK_MASTER_KEY_FILE)
// and restart them; an instance still on the old key refuses to write secrets.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { HUB_MIGRATIONS, loadConfig } from '../modules.ts'
import { openStore } from '../core/store/open.ts'
import { migrate } from '../core/store/migrations.ts'
import { resolveMasterKey } from '../core/vault/key-source.ts'
import { formatMasterKey, generateMasterKey, parseMasterKey, type MasterKey } from '../core/vault/master-key.ts'
import { rotateMasterKey } from '../core/vault/rotate.ts'
import { AuditLog } from '../core/audit/audit-log.ts'

function argValue(argv: string[], name: string): string | undefined {
  const index = argv.findIndex((a) => a === name || a.startsWith(`${name}=`))
  if (index < 0) return undefined
  const arg = argv[index] as string
  const value = arg.includes('=') ? arg.slice(name.length + 1) : argv[index + 1]
  if (!value) throw new Error(`${name} needs a value`)
  return value
}

/** The new key and a sentence saying where it is; a missing key file is created (mode 0600). */
function newKey(argv: string[], env: NodeJS.ProcessEnv): { key: MasterKey; where: string } {
  const file = argValue(argv, '--new-key-file') ?? (env.CROSSWALK_NEW_MASTER_KEY_FILE || undefined)
  if (file) {
    if (!existsSync(file)) {
      const key = generateMasterKey()
      writeFileSync(file, formatMasterKey(key), { mode: 0o600, flag: 'wx' })
      return { key, where: `new key file ${file} (created)` }
    }
    return { key: parseMasterKey(readFileSync(file, 'utf8'), `new key file ${file}`), where: `new key file ${file}` }
  }
  const text = env.CROSSWALK_NEW_MASTER_KEY
  if (text) return { key: parseMasterKey(text, 'CROSSWALK_NEW_MASTER_KEY'), where: 'CROSSWALK_NEW_MASTER_KEY' }
  throw new Error('say where the new key is: --new-key-file <path> or CROSSWALK_NEW_MASTER_KEY(_FILE)')
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2)
  const config = loadConfig({ argv })
  const current = resolveMasterKey(config, { create: false })
  const next = newKey(argv, process.env)
  const db = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    await migrate(db, HUB_MIGRATIONS)
    const result = await rotateMasterKey(db, current.key, next.key)
    if (result.alreadyCurrent) {
      process.stdout.write(`The store already seals with key id ${result.toKeyId}; nothing to do.\n`)
      return 0
    }
    await new AuditLog(db).record({
      actor: { id: null, name: 'vault:rotate (command line)', kind: 'cli' },
      action: 'vault.rotate',
      target: 'vault',
      summary: { fromKeyId: result.fromKeyId, toKeyId: result.toKeyId, resealed: result.resealed },
    })
    process.stdout.write(
      `Re-sealed ${result.resealed} secret(s): key id ${result.fromKeyId} -> ${result.toKeyId} (${next.where}).\n` +
        'Now configure every hub instance with the new key (CROSSWALK_MASTER_KEY_FILE=<that file> or ' +
        'CROSSWALK_MASTER_KEY) and restart them. The old key is no longer needed.\n',
    )
    return 0
  } finally {
    await db.close()
  }
}

try {
  process.exitCode = await main()
} catch (error) {
  const e = error as { code?: string; message: string }
  process.stderr.write(`vault:rotate: ${e.code ? `${e.code}: ` : ''}${e.message}\n`)
  process.exitCode = 1
}
