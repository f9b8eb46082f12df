// Seeded random numbers, so every "random" input of a check or a panel is reproducible.

/** mulberry32: a uniform [0, 1) generator from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples (Box–Muller) from a uniform generator. */
export function normal(rand: () => number): () => number {
  return () => {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** A rows×cols matrix of N(0, scale²) samples. */
export function randomMatrix(rand: () => number, rows: number, cols: number, scale = 1): number[][] {
  const n = normal(rand);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => n() * scale));
}

/** FNV-1a: a stable 32-bit seed from a string (a token's embedding seed). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
