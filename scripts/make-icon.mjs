// Draws media/icon.png (128×128): a causal attention map — an 8×8 grid whose lower triangle
// is shaded by softmax weight, the diagonal brightest. PNG written by hand (zlib + CRC), no deps.
// Usage: node scripts/make-icon.mjs [out.png]
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const CELLS = 8;
const CELL = SIZE / CELLS;
const BG = [30, 30, 46];
const MASKED = [44, 46, 66];
const LOW = [40, 70, 140];
const HIGH = [150, 190, 255];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Causal softmax weights of query i over keys 0..i, scores rising toward the diagonal. */
function weight(i, j) {
  if (j > i) return undefined;
  const scores = Array.from({ length: i + 1 }, (_, k) => k);
  const max = Math.max(...scores);
  const sum = scores.reduce((a, s) => a + Math.exp(s - max), 0);
  return Math.exp(scores[j] - max) / sum;
}

function pixel(x, y) {
  const i = Math.floor(y / CELL);
  const j = Math.floor(x / CELL);
  const inCell = x % CELL > 0 && y % CELL > 0; // 1-px grid lines
  if (!inCell) return BG;
  const w = weight(i, j);
  if (w === undefined) return MASKED;
  const t = Math.sqrt(w); // w ∈ (0, 1]; sqrt spreads the small weights
  return LOW.map((l, k) => Math.round(l + (HIGH[k] - l) * t));
}

const raw = Buffer.alloc(SIZE * (1 + SIZE * 4));
for (let y = 0; y < SIZE; y++) {
  const row = y * (1 + SIZE * 4);
  raw[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const [r, g, b] = pixel(x, y);
    raw.set([r, g, b, 255], row + 1 + x * 4);
  }
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'media', 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
