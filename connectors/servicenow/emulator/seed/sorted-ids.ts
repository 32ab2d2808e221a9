// n uniformly distributed random sys_ids, produced already in ascending order, so a million-row
// table is loaded without sorting it. Sorted uniform samples come from normalised cumulative
// exponential spacings (the order statistics of the uniform distribution): the first 48 bits of
// each id follow them, the remaining 80 bits are random.
import type { Prng } from './prng.ts'

const PREFIX_SPACE = 2 ** 48

export function sortedSysIds(rnd: Prng, n: number): string[] {
  const spacings = new Float64Array(n + 1)
  let total = 0
  for (let i = 0; i <= n; i++) {
    const gap = -Math.log(1 - rnd.next())
    spacings[i] = gap
    total += gap
  }
  const ids: string[] = new Array(n)
  const buf = Buffer.alloc(16)
  let position = 0
  let previous = -1
  for (let i = 0; i < n; i++) {
    position += spacings[i] as number
    let prefix = Math.floor((position / total) * PREFIX_SPACE)
    if (prefix <= previous) prefix = previous + 1
    previous = prefix
    buf.writeUIntBE(prefix, 0, 6)
    buf.writeUInt32BE(rnd.nextUint32(), 6)
    buf.writeUInt32BE(rnd.nextUint32(), 10)
    buf.writeUInt16BE(rnd.nextUint32() & 0xffff, 14)
    ids[i] = buf.toString('hex')
  }
  return ids
}
