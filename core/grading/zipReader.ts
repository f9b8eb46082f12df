// Reads a learner's submission .zip with Node's zlib. Written here rather than taken from npm
// because a submission is untrusted: the reader needs its own hard limits (entries, bytes per
// file, bytes in all, paths that stay inside the folder, no encryption, no zip64) and refuses
// anything else with a reason an instructor can act on; a general-purpose library would add
// a dependency and still need those checks around it. Only "stored" and "deflate" are read:
// what every zip tool writes by default.
import { inflateRawSync } from 'node:zlib';

/** Each record's signature and fixed size (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16). */
const RECORD = {
  local: { signature: 0x04034b50, size: 30 },
  central: { signature: 0x02014b50, size: 46 },
  end: { signature: 0x06054b50, size: 22 },
} as const;
const EOCD_SIZE = RECORD.end.size;

export interface ZipLimits {
  maxEntries: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

export const SUBMISSION_ZIP_LIMITS: ZipLimits = { maxEntries: 2000, maxFileBytes: 8 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024 };

export interface ZipFile {
  /** Forward slashes, relative, no "." or ".." segments. */
  path: string;
  data: Buffer;
}

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

let crcTable: Uint32Array | undefined;
function crc32(data: Buffer): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A name from the archive as a safe relative path, or why it is refused. */
function safePath(raw: string): string | { refused: string } {
  const name = raw.replace(/\\/g, '/');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return { refused: `"${raw}" is an absolute path` };
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { refused: `"${raw}" points outside the folder ("..")` };
  if (parts.some((p) => p.includes('\0'))) return { refused: `"${raw}" holds a NUL character` };
  return parts.join('/');
}

function findEndRecord(buf: Buffer): number {
  const lowest = Math.max(0, buf.length - EOCD_SIZE - 0xffff);
  for (let i = buf.length - EOCD_SIZE; i >= lowest; i--) if (buf.readUInt32LE(i) === RECORD.end.signature) return i;
  return -1;
}

/**
 * Every regular file of the archive, checked against `limits`. Directories, symbolic links and
 * macOS resource forks (__MACOSX/) are skipped; anything unreadable throws a ZipError.
 */
export function readZip(buf: Buffer, limits: ZipLimits = SUBMISSION_ZIP_LIMITS): ZipFile[] {
  const end = buf.length >= EOCD_SIZE ? findEndRecord(buf) : -1;
  if (end < 0) throw new ZipError('not a zip file (no end-of-central-directory record)');
  const count = buf.readUInt16LE(end + 10);
  const dirSize = buf.readUInt32LE(end + 12);
  const dirOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw new ZipError('a zip64 archive: save it as an ordinary zip (it is far larger than a lab folder)');
  if (count > limits.maxEntries) throw new ZipError(`${count} entries, more than the ${limits.maxEntries} a lab folder can hold`);
  if (dirOffset + dirSize > end) throw new ZipError('the central directory runs past the end of the file (truncated?)');
  const files: ZipFile[] = [];
  let total = 0;
  let at = dirOffset;
  for (let n = 0; n < count; n++) {
    if (at + RECORD.central.size > end || buf.readUInt32LE(at) !== RECORD.central.signature) throw new ZipError(`entry ${n + 1} of the central directory is damaged`);
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const packed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const madeBy = buf.readUInt16LE(at + 4) >> 8;
    const mode = buf.readUInt32LE(at + 38) >>> 16;
    const localOffset = buf.readUInt32LE(at + 42);
    const rawName = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', at + RECORD.central.size, at + RECORD.central.size + nameLen);
    at += RECORD.central.size + nameLen + extraLen + commentLen;

    const path = safePath(rawName);
    if (typeof path !== 'string') throw new ZipError(`refused entry: ${path.refused}`);
    const isUnixSymlink = madeBy === 3 && (mode & 0o170000) === 0o120000;
    if (rawName.endsWith('/') || path === '' || isUnixSymlink || path.split('/')[0] === '__MACOSX') continue;
    if (flags & 0x1) throw new ZipError(`"${path}" is encrypted: submit the zip without a password`);
    if (packed === 0xffffffff || size === 0xffffffff) throw new ZipError(`"${path}" uses zip64 sizes: save it as an ordinary zip`);
    if (size > limits.maxFileBytes) throw new ZipError(`"${path}" is ${size} bytes unpacked, more than the ${limits.maxFileBytes} allowed per file`);
    total += size;
    if (total > limits.maxTotalBytes) throw new ZipError(`the archive unpacks to more than ${limits.maxTotalBytes} bytes`);

    if (localOffset + RECORD.local.size > end || buf.readUInt32LE(localOffset) !== RECORD.local.signature) throw new ZipError(`"${path}": its local header is damaged`);
    const dataStart = localOffset + RECORD.local.size + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    if (dataStart + packed > buf.length) throw new ZipError(`"${path}" runs past the end of the file (truncated?)`);
    const raw = buf.subarray(dataStart, dataStart + packed);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        // The declared size may lie (a zip bomb): inflate no further than it says.
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, size) });
      } catch (err) {
        throw new ZipError(`"${path}" cannot be unpacked (${(err as Error).message})`);
      }
    } else throw new ZipError(`"${path}" is compressed with method ${method}; only stored and deflate are read`);
    if (data.length !== size || crc32(data) !== crc) throw new ZipError(`"${path}" is corrupted (its size or CRC does not match)`);
    files.push({ path, data });
  }
  return files;
}
