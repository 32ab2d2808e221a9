// The cipher alone: round trip, and every way a sealed value must refuse to open.
import { test } from 'tap'
import { associatedData, seal, unseal, type Sealed } from '../../../core/vault/seal.ts'
import { generateMasterKey } from '../../../core/vault/master-key.ts'

function flip(buffer: Buffer, index = 0): Buffer {
  const copy = Buffer.from(buffer)
  copy[index] = (copy[index] ?? 0) ^ 0x01
  return copy
}

test('round trip, a fresh nonce per value, the key id carried along', async (t) => {
  const key = generateMasterKey()
  const a = seal(key, 'connection:1', 'password', 'hunter2 ünïcode')
  const b = seal(key, 'connection:1', 'password', 'hunter2 ünïcode')
  t.equal(unseal(key, 'connection:1', 'password', a), 'hunter2 ünïcode')
  t.equal(a.keyId, key.id)
  t.equal(a.nonce.length, 12)
  t.equal(a.tag.length, 16)
  t.notSame(a.nonce, b.nonce, 'nonces differ')
  t.notSame(a.ciphertext, b.ciphertext, 'so do ciphertexts of the same value')
  t.notOk(a.ciphertext.toString('utf8').includes('hunter2'))
  t.equal(unseal(key, 'o', 'n', seal(key, 'o', 'n', '')), '', 'the empty string too')
})

test('altered ciphertext, tag or nonce does not open', async (t) => {
  const key = generateMasterKey()
  const sealed = seal(key, 'connection:1', 'password', 'value-of-some-length')
  const variants: Array<[string, Sealed]> = [
    ['ciphertext', { ...sealed, ciphertext: flip(sealed.ciphertext, 3) }],
    ['tag', { ...sealed, tag: flip(sealed.tag, 15) }],
    ['nonce', { ...sealed, nonce: flip(sealed.nonce, 11) }],
    ['short tag', { ...sealed, tag: sealed.tag.subarray(0, 12) }],
    ['truncated ciphertext', { ...sealed, ciphertext: sealed.ciphertext.subarray(1) }],
  ]
  for (const [what, variant] of variants) {
    t.equal(unseal(key, 'connection:1', 'password', variant), undefined, what)
  }
})

test('a value moved to another owner or name, or opened with another key, does not open', async (t) => {
  const key = generateMasterKey()
  const sealed = seal(key, 'connection:1', 'password', 's3cret')
  t.equal(unseal(key, 'connection:2', 'password', sealed), undefined, 'other owner')
  t.equal(unseal(key, 'connection:1', 'apiKey', sealed), undefined, 'other name')
  t.equal(unseal(generateMasterKey(), 'connection:1', 'password', sealed), undefined, 'other key')
  // the binding is unambiguous: moving a character between owner and name changes it
  t.notSame(associatedData('ab', 'c'), associatedData('a', 'bc'))
  const split = seal(key, 'ab', 'c', 'x')
  t.equal(unseal(key, 'a', 'bc', split), undefined)
})
