// Seeded randomness for the workspace seed: the same seed gives the same workspace, ids included.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'

export class SeededRandom {
  private readonly rng

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed)
  }

  /** integer in [from, to] */
  int(from: number, to: number): number {
    return uniformInt(this.rng, from, to)
  }

  /** float in [0, 1) */
  float(): number {
    return uniformFloat64(this.rng)
  }

  chance(probability: number): boolean {
    return this.float() < probability
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list')
    return items[this.int(0, items.length - 1)] as T
  }

  /** `count` distinct items (fewer if the list is shorter) */
  sample<T>(items: readonly T[], count: number): T[] {
    if (count >= items.length) return [...items]
    const chosen = new Set<number>()
    while (chosen.size < count) chosen.add(this.int(0, items.length - 1))
    return [...chosen].map((i) => items[i] as T)
  }

  /** a version-4-shaped UUID drawn from the generator */
  uuid(): string {
    const h = () => this.int(0, 0xffff).toString(16).padStart(4, '0')
    const version = `4${h().slice(1)}`
    const variant = `${(8 + this.int(0, 3)).toString(16)}${h().slice(1)}`
    return `${h()}${h()}-${h()}-${version}-${variant}-${h()}${h()}${h()}`
  }
}
