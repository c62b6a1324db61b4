/** A seeded PRNG (mulberry32): the same seed gives the same data set on every machine. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Fisher-Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/** Draws indexes 0..n-1 with probability proportional to the given weights (binary search over the CDF). */
export class Weighted {
  private readonly cdf: Float64Array;

  constructor(weights: readonly number[]) {
    this.cdf = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((weight, index) => (this.cdf[index] = sum += weight));
    for (let i = 0; i < this.cdf.length; i++) this.cdf[i] /= sum;
  }

  /** Zipf-like: index i (rank i + 1) has weight 1 / (i + 1)^s. */
  static zipf(n: number, s: number): Weighted {
    return new Weighted(Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s)));
  }

  /** The share of draws that land on index i. */
  share(i: number): number {
    return this.cdf[i] - (i ? this.cdf[i - 1] : 0);
  }

  draw(random: Random): number {
    const u = random.next();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

const ONSETS = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "kh", "al", "tr", "br"];
const VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ia"];
const CODAS = ["", "", "n", "r", "s", "m", "l", "d", "k", "stan", "ria", "via", "ton", "abad"];

/** A pronounceable made-up name of `syllables` syllables, capitalised: "Kourastan". */
export function madeUpName(random: Random, syllables: number): string {
  let name = "";
  for (let i = 0; i < syllables; i++) name += random.pick(ONSETS) + random.pick(VOWELS);
  name += random.pick(CODAS);
  return name[0].toUpperCase() + name.slice(1);
}
