// AES-256-GCM sealing of one secret value. The associated data names the owner record and the
// secret's name, so a sealed value copied onto another record or name fails authentication
// instead of opening there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { MasterKey } from './master-key.ts'

export interface Sealed {
  keyId: string
  /** 12 random bytes, fresh for every value (GCM must never reuse a nonce under one key) */
  nonce: Buffer
  ciphertext: Buffer
  /** 16-byte GCM authentication tag */
  tag: Buffer
}

const ALGORITHM = 'aes-256-gcm'
const NONCE_BYTES = 12
const TAG_BYTES = 16

/** Length-prefixed, versioned, so ("a", "bc") and ("ab", "c") bind differently. */
export function associatedData(owner: string, name: string): Buffer {
  const o = Buffer.from(owner, 'utf8')
  const n = Buffer.from(name, 'utf8')
  const header = Buffer.alloc(8)
  header.writeUInt32BE(o.length, 0)
  header.writeUInt32BE(n.length, 4)
  return Buffer.concat([Buffer.from('crosswalk-vault-v1\0'), header, o, n])
}

export function seal(key: MasterKey, owner: string, name: string, value: string): Sealed {
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv(ALGORITHM, key.key, nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(associatedData(owner, name))
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
  return { keyId: key.id, nonce, ciphertext, tag: cipher.getAuthTag() }
}

/** The value, or undefined when authentication fails (altered, moved, or another key). */
export function unseal(key: MasterKey, owner: string, name: string, sealed: Sealed): string | undefined {
  if (sealed.nonce.length !== NONCE_BYTES || sealed.tag.length !== TAG_BYTES) return undefined
  try {
    const decipher = createDecipheriv(ALGORITHM, key.key, sealed.nonce, { authTagLength: TAG_BYTES })
    decipher.setAAD(associatedData(owner, name))
    decipher.setAuthTag(sealed.tag)
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8')
  } catch {
    return undefined
  }
}
