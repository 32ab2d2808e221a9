// Seeded randomness for the instance seed (pure-rand's xoroshiro128+, as the LeanIX emulator's
// seed uses): the same seed gives the same instance, sys_ids included.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'

export class Prng {
  private readonly rng

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed)
  }

  nextUint32(): number {
    return this.rng.next() >>> 0
  }

  /** uniform in [0, 1) */
  next(): number {
    return uniformFloat64(this.rng)
  }

  /** integer in [0, maxExclusive) */
  int(maxExclusive: number): number {
    return uniformInt(this.rng, 0, maxExclusive - 1)
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list')
    return items[this.int(items.length)] as T
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  /** a platform-shaped sys_id: 32 lowercase hex (a flat string: concatenations compare slowly) */
  sysId(): string {
    const b = this.scratch
    b.writeUInt32BE(this.nextUint32(), 0)
    b.writeUInt32BE(this.nextUint32(), 4)
    b.writeUInt32BE(this.nextUint32(), 8)
    b.writeUInt32BE(this.nextUint32(), 12)
    return b.toString('hex')
  }

  private readonly scratch = Buffer.alloc(16)
}
