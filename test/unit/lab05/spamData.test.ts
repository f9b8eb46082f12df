// The shipped Spam Assassin split (media/data/spam): counts as meta.json and the data card say,
// no message in two splits (by id or by text), every split holds every group including hard
// ham in proportion, and rebuilding it from the npm package gives the same bytes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataCard, FRACTIONS, MAX_CHARS, prepare, readRawCorpus, serialise } from '../../../scripts/data/prepare-spam';
import { decodeQuotedPrintable, htmlToText, parseMessage } from '../../../scripts/data/mime';
import { findSpamDataDir, GROUPS, readSpamData, SPLITS, SpamDataError } from '../../../sidecar/reference/encoder/spamData';

describe('Lab 5 data: the shipped spam split', () => {
  const dir = findSpamDataDir(__dirname);
  const { meta, splits } = readSpamData(dir);

  it('has the counts meta.json records, per split and group, and the data card shows them', () => {
    for (const s of SPLITS) for (const g of GROUPS) assert.equal(splits[s].filter((e) => e.group === g).length, meta.counts[s][g], `${s}/${g}`);
    const card = readFileSync(join(dir, 'DATA_CARD.md'), 'utf8');
    assert.equal(card, dataCard(meta), 'DATA_CARD.md is not the card meta.json gives (rerun npm run data:spam)');
    const total = SPLITS.reduce((n, s) => n + splits[s].length, 0);
    assert.ok(total > 5500 && total <= 6046, `${total} messages`);
  });

  it('puts no message in two splits, by id or by text', () => {
    const seen = new Map<string, string>();
    for (const s of SPLITS) {
      for (const e of splits[s]) {
        for (const key of [`id:${e.id}`, `text:${e.text}`]) {
          assert.ok(!seen.has(key), `${key.slice(0, 60)} is in ${seen.get(key)} and ${s}`);
          seen.set(key, s);
        }
      }
    }
  });

  it('has every group, hard ham included, in every split in the 70/15/15 proportion', () => {
    for (const g of GROUPS) {
      const all = SPLITS.reduce((n, s) => n + meta.counts[s][g], 0);
      for (const s of SPLITS) {
        assert.ok(meta.counts[s][g] > 0, `${s} has no ${g}`);
        assert.ok(Math.abs(meta.counts[s][g] - FRACTIONS[s] * all) <= 1, `${s}/${g}: ${meta.counts[s][g]} of ${all}`);
      }
    }
    for (const s of SPLITS) for (const e of splits[s]) assert.equal(e.label, e.group === 'spam' ? 1 : 0);
  });

  it('keeps only Subject of the headers and at most MAX_CHARS characters', () => {
    for (const s of SPLITS) {
      for (const e of splits[s]) {
        assert.ok(Array.from(e.text).length <= MAX_CHARS, e.id);
        assert.doesNotMatch(e.text.split('\n')[0], /^(Received|Return-Path|Message-Id|From|To|Date):/i, e.id);
      }
    }
  });

  it('is rebuilt byte for byte from the npm package (deterministic)', function () {
    this.timeout(60_000);
    const { splits: again } = prepare(readRawCorpus().messages);
    for (const s of SPLITS) {
      const bytes = serialise(again[s]);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), meta.files[s].sha256, `${s} differs from the shipped file`);
    }
  });

  it('names the file when a split is truncated or replaced', () => {
    const copy = mkdtempSync(join(tmpdir(), 'spam-'));
    for (const f of ['meta.json', 'train.jsonl', 'validation.jsonl', 'test.jsonl']) copyFileSync(join(dir, f), join(copy, f));
    const text = readFileSync(join(copy, 'test.jsonl'));
    writeFileSync(join(copy, 'test.jsonl'), text.subarray(0, text.length - 10));
    assert.throws(() => readSpamData(copy), (e: unknown) => e instanceof SpamDataError && /test\.jsonl: .* bytes, meta\.json expects/.test(e.message));
  });
});

describe('Lab 5 data: MIME preprocessing', () => {
  it('decodes quoted-printable soft breaks and =XX bytes in the declared charset', () => {
    const m = parseMessage('Subject: =?iso-8859-1?Q?Caf=E9?=\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nna=EFve =\nline=3D1\n');
    assert.equal(m.subject, 'Café');
    assert.equal(m.body, 'naïve line=1');
    assert.deepEqual([...decodeQuotedPrintable('a=20b=\n')], [97, 32, 98]);
  });

  it('keeps the text/plain alternative, decodes base64, drops attachments and HTML tags', () => {
    const raw = [
      'From x@y  Mon Aug 26 15:49:52 2002',
      'Subject: hello',
      'Content-Type: multipart/mixed; boundary="B1"',
      '',
      '--B1',
      'Content-Type: multipart/alternative; boundary="B2"',
      '',
      '--B2',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('plain words é').toString('base64'),
      '--B2',
      'Content-Type: text/html',
      '',
      '<p>html words</p>',
      '--B2--',
      '--B1',
      'Content-Type: image/gif',
      'Content-Transfer-Encoding: base64',
      '',
      'R0lGODlhAQABAAAAACw=',
      '--B1--',
    ].join('\n');
    const m = parseMessage(raw);
    assert.equal(m.subject, 'hello');
    assert.equal(m.body, 'plain words é');
    assert.ok(m.notes.has('attachment') && m.notes.has('base64'));
    assert.equal(htmlToText('<style>x{}</style><b>Buy</b>&nbsp;now&amp;<br>later &#65;').replace(/\s+/g, ' ').trim(), 'Buy now& later A');
  });
});
