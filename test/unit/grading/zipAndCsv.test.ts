// The submission zip reader against archives written by Python's zipfile (an independent
// writer), hostile ones included, and the CSV's quoting.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassRow } from '../../../core/grading/classGrading';
import { classCsv } from '../../../core/grading/classReport';
import { readZip, SUBMISSION_ZIP_LIMITS } from '../../../core/grading/zipReader';
import { zipEntriesRaw } from '../../support/classSubmissions';

const dir = mkdtempSync(join(tmpdir(), 'tl-zip-'));

describe('submission zip reader', () => {
  it('reads every file, skips folders and __MACOSX, keeps UTF-8 names and astral text', () => {
    const text = 'export const s = "𝔸 ∑ é";\n'.repeat(200);
    const zip = zipEntriesRaw(join(dir, 'ok.zip'), { 'alice/attention.ts': text, 'alice/sub/': '', '__MACOSX/alice/._attention.ts': 'x', 'alice/ñ.md': 'hi' });
    const files = readZip(readFileSync(zip));
    assert.deepEqual(files.map((f) => f.path).sort(), ['alice/attention.ts', 'alice/ñ.md']);
    assert.equal(files.find((f) => f.path === 'alice/attention.ts')!.data.toString('utf8'), text);
  });

  it('refuses paths outside the folder and absolute paths', () => {
    assert.throws(() => readZip(readFileSync(zipEntriesRaw(join(dir, 'a.zip'), { 'a/../../x.ts': '1' }))), /points outside the folder/);
    assert.throws(() => readZip(readFileSync(zipEntriesRaw(join(dir, 'b.zip'), { '/etc/x.ts': '1' }))), /absolute path/);
  });

  it('refuses more than the limits allow: bytes per file, bytes in all, entries', () => {
    const zip = readFileSync(zipEntriesRaw(join(dir, 'big.zip'), { 'a.ts': 'x'.repeat(5000), 'b.ts': 'y'.repeat(5000) }));
    assert.throws(() => readZip(zip, { ...SUBMISSION_ZIP_LIMITS, maxFileBytes: 4000 }), /"a.ts" is 5000 bytes unpacked/);
    assert.throws(() => readZip(zip, { ...SUBMISSION_ZIP_LIMITS, maxTotalBytes: 8000 }), /unpacks to more than 8000 bytes/);
    assert.throws(() => readZip(zip, { ...SUBMISSION_ZIP_LIMITS, maxEntries: 1 }), /2 entries/);
  });

  it('does not inflate past the declared size (a zip bomb that lies about its size)', () => {
    const zip = readFileSync(zipEntriesRaw(join(dir, 'bomb.zip'), { 'a.ts': '0'.repeat(1_000_000) }));
    // Make both records claim 100 bytes unpacked.
    const liar = Buffer.from(zip);
    const central = liar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    liar.writeUInt32LE(100, central + 24);
    liar.writeUInt32LE(100, 22);
    assert.throws(() => readZip(liar), /"a.ts" (cannot be unpacked|is corrupted)/);
  });

  it('names a damaged file: not a zip, truncated, a flipped byte', () => {
    assert.throws(() => readZip(Buffer.from('hello')), /not a zip file/);
    const zip = readFileSync(zipEntriesRaw(join(dir, 'c.zip'), { 'a.ts': 'export const a = 1;\n'.repeat(50) }));
    assert.throws(() => readZip(zip.subarray(0, zip.length - 30)), /not a zip file|damaged|past the end/);
    const flipped = Buffer.from(zip);
    flipped[40] ^= 0xff;
    assert.throws(() => readZip(flipped), /"a.ts" (cannot be unpacked|is corrupted)/);
    writeFileSync(join(dir, 'flipped.zip'), flipped);
  });
});

describe('grade-all CSV', () => {
  const row = (learner: string, extra: Partial<ClassRow> = {}): ClassRow => ({
    learner,
    source: learner,
    labId: '01-attention',
    labVersion: '1.1.0',
    score: 3,
    maxScore: 4,
    percent: 75,
    points: { a: 1, b: 2 },
    statuses: { a: 'pass', b: 'pass' },
    flags: [],
    notes: [],
    durationMs: 5,
    ...extra,
  });

  it('quotes commas and quotes, and keeps a learner name from being read as a spreadsheet formula', () => {
    const lab = { dir: '', manifest: { id: '01-attention', checks: [{ id: 'a' }, { id: 'b' }] } } as never;
    const csv = classCsv([row('=HYPERLINK("x")'), row('Doe, Jane', { flags: ['timeout', 'memory'] })], [lab]).split('\r\n');
    assert.equal(csv[0], 'learner,lab,version,score,max,percent,a,b,flags,error');
    assert.equal(csv[1], `"'=HYPERLINK(""x"")",01-attention,1.1.0,3,4,75,1,2,,`);
    assert.equal(csv[2], '"Doe, Jane",01-attention,1.1.0,3,4,75,1,2,timeout;memory,');
  });
});
