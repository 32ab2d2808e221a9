// The vault master key: parsed from its text form, identified by a key id derived from it (the
// same on every instance without coordination, and revealing nothing about the key).
import { createHmac, randomBytes } from 'node:crypto'
import { VaultErrors } from './errors.ts'

export const KEY_BYTES = 32

export interface MasterKey {
  /** 16 hex characters, HMAC-SHA256(key, "crosswalk vault key id") truncated */
  id: string
  key: Buffer
}

export function masterKeyFromBytes(key: Buffer): MasterKey {
  if (key.length !== KEY_BYTES) throw new TypeError(`a master key is ${KEY_BYTES} bytes, got ${key.length}`)
  const id = createHmac('sha256', key).update('crosswalk vault key id').digest('hex').slice(0, 16)
  return { id, key }
}

/**
 * Reads a key written as 64 hex characters or as base64 (standard or url-safe) of 32 bytes.
 * `source` names where it came from in the error; the text itself is never quoted.
 */
export function parseMasterKey(text: string, source: string): MasterKey {
  const trimmed = text.trim()
  if (trimmed === '') throw new VaultErrors.KEY_INVALID(source, 'it is empty')
  if (/^[0-9a-fA-F]+$/.test(trimmed) && trimmed.length === KEY_BYTES * 2) {
    return masterKeyFromBytes(Buffer.from(trimmed, 'hex'))
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new VaultErrors.KEY_INVALID(source, `it has ${trimmed.length} characters, not all of them hex or base64`)
  }
  const bytes = Buffer.from(trimmed, 'base64')
  if (bytes.length !== KEY_BYTES) {
    const looksHex = /^[0-9a-fA-F]+$/.test(trimmed)
    throw new VaultErrors.KEY_INVALID(
      source,
      looksHex
        ? `it has ${trimmed.length} hex characters, 64 are needed`
        : `it decodes to ${bytes.length} bytes, ${KEY_BYTES} are needed`,
    )
  }
  return masterKeyFromBytes(bytes)
}

export function generateMasterKey(): MasterKey {
  return masterKeyFromBytes(randomBytes(KEY_BYTES))
}

/** The text form written to key files. */
export function formatMasterKey(key: MasterKey): string {
  return `${key.key.toString('base64')}\n`
}
