// A small seeded PRNG (sfc32) so a seed produces the same instance every time, plus the helpers
// the generator draws with.
export class Prng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    this.a = 0x9e3779b9
    this.b = 0x243f6a88
    this.c = 0xb7e15162
    this.d = seed >>> 0
    for (let i = 0; i < 15; i++) this.nextUint32()
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** uniform in [0, 1) */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive)
  }

  pick<T>(items: readonly T[]): T {
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
