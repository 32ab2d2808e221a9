// Bearer token values: how they are made and how they are stored.
import { createHash, randomBytes } from 'node:crypto'

/** Prefix so secret scanners (and people) recognise a leaked Crosswalk token. */
export const TOKEN_PREFIX = 'cw_'

/** A new token: 32 random bytes (256 bits), base64url. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url')
}

/**
 * What the store keeps instead of the token. A single SHA-256 is the right tool here, unlike for
 * passwords: slow, salted hashes (bcrypt, scrypt, argon2) exist to make guessing a low-entropy
 * password from a stolen hash expensive, but a generated token carries 256 random bits, so no
 * amount of guessing reaches it and salt buys nothing (there is no dictionary to precompute).
 * A fast, unsalted hash also lets every request find its token with one indexed lookup instead
 * of a deliberately slow comparison per stored token. CROSSWALK_ADMIN_TOKEN is chosen by a person,
 * which is why the configuration demands at least 32 characters and the docs say to generate it.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}
