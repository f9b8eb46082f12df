// Lab 4's token panel: the text box through the learner's tokenizer trained on Moby-Dick
// (coloured token boundaries, ids on hover and focus, the merge tree of a selected token), the
// same text through GPT-2 — the learner's encodeText beside js-tiktoken, differences marked —
// and the vocabulary-size study (bundled to dist/webviews/tokens.js).
import type { TokenPiece, TokensViewData, TokensViewInput, TrainedTokens } from '../../core/protocol/views/tokensView';
import { dataTable, lineChart, Series } from '../shared/charts';
import { h, svg } from '../shared/dom';
import { DrawContext, numberField, startLabView } from '../shared/labViewApp';
import { tags } from '../shared/toolkit';
import { firstMismatch, matches } from './alignment';
import { buildTree, layoutTree, mergeSteps, type TreeNode } from './mergeTree';

const MAX_TEXT = 1000;
const DEFAULTS: TokensViewInput = { text: '', vocabSize: 1024 };

function normalize(i: Partial<TokensViewInput>): TokensViewInput {
  const v = Math.round(Number(i.vocabSize));
  return {
    text: typeof i.text === 'string' ? i.text.slice(0, MAX_TEXT) : '',
    vocabSize: Number.isFinite(v) ? Math.min(8192, Math.max(257, v)) : DEFAULTS.vocabSize,
  };
}

/** Whitespace made visible inside a token chip. */
function shown(text: string): string {
  return text.replace(/ /g, '·').replace(/\n/g, '⏎').replace(/\t/g, '⇥').replace(/\r/g, '␍');
}

function section(title: string, note: string, ...children: Node[]): HTMLElement {
  return h('section', { class: 'section' }, h('h2', {}, title), h('p', { class: 'note' }, note), ...children);
}

interface StripOptions {
  label: string;
  /** false marks a token that the other tokenization does not have. */
  matches?: boolean[];
  selected?: number;
  onSelect?(index: number): void;
  /** Extra words for a token's title (its rank). */
  describe?(t: TokenPiece): string;
}

/** The text as coloured token chips; hover or focus a chip to read its id. */
function tokenStrip(tokens: TokenPiece[], o: StripOptions): HTMLElement {
  const status = h('p', { class: 'tok-status', 'aria-live': 'polite' }, 'Hover or focus a token to see its id.');
  const strip = h('div', { class: 'tokens', role: 'list', 'aria-label': `${o.label}: ${tokens.length} tokens` });
  const tell = (t: TokenPiece, i: number) => {
    const extra = o.describe ? ` · ${o.describe(t)}` : '';
    const diff = o.matches && !o.matches[i] ? ' · differs from the other side' : '';
    status.textContent = `Token ${i + 1} of ${tokens.length}: ${JSON.stringify(t.text)} — id ${t.id}${t.special ? ' (special)' : ''}${extra}${diff}`;
  };
  tokens.forEach((t, i) => {
    const differs = o.matches ? !o.matches[i] : false;
    const cls = ['tok', `c${i % 6}`, t.special ? 'special' : '', t.partial ? 'partial' : '', differs ? 'differs' : '', o.selected === i ? 'selected' : ''].filter(Boolean).join(' ');
    const chip = h(
      'span',
      {
        class: cls,
        role: 'listitem',
        tabindex: '0',
        title: `id ${t.id}${t.special ? ' (special)' : ''} · ${t.partial ? `bytes ${t.text} (part of a character)` : JSON.stringify(t.text)}${differs ? ' · differs' : ''}`,
        'aria-label': `${JSON.stringify(t.text)}, id ${t.id}${differs ? ', differs' : ''}${o.selected === i ? ', selected' : ''}`,
      },
      t.partial ? t.text : shown(t.text),
    );
    if (differs) chip.append(h('span', { class: 'diff-mark', 'aria-hidden': 'true' }, '≠'));
    chip.addEventListener('mouseenter', () => tell(t, i));
    chip.addEventListener('focus', () => tell(t, i));
    if (o.onSelect) {
      chip.addEventListener('click', () => o.onSelect!(i));
      chip.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          o.onSelect!(i);
        }
      });
    }
    strip.append(chip);
    if (t.text.endsWith('\n')) strip.append(h('br', {}));
  });
  return h('figure', { class: 'chart-figure strip-figure' }, h('figcaption', {}, o.label), strip, status);
}

function tokensTable(caption: string, a: TokenPiece[], aName: string, b: TokenPiece[], bName: string, hidden: boolean): HTMLElement {
  const n = Math.max(a.length, b.length);
  const cell = (t: TokenPiece | undefined) => (t ? `${t.id} ${JSON.stringify(t.text)}` : '—');
  const ma = matches(a, b);
  return dataTable(caption, ['#', aName, bName, 'same'], Array.from({ length: n }, (_, i) => [i, cell(a[i]), cell(b[i]), i < a.length ? (ma[i] ? 'yes' : 'no') : '—']), hidden);
}

// ── merge tree ──

function treeFigure(root: TreeNode): HTMLElement {
  const { placed, leaves, depth } = layoutTree(root);
  const CW = 56;
  const RH = 44;
  const W = Math.max(1, leaves) * CW + 20;
  const H = (depth + 1) * RH + 10;
  const pos = (p: { x: number; depth: number }) => ({ x: 10 + p.x * CW + CW / 2, y: 18 + p.depth * RH });
  const label = `Merge tree of ${JSON.stringify(root.text)} (id ${root.id}): ${placed.length} nodes, ${leaves} bytes`;
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart merge-tree', role: 'img', 'aria-label': label });
  for (const p of placed) {
    if (!p.parent) continue;
    const a = pos(p.parent);
    const b = pos(p);
    g.append(svg('line', { x1: a.x, y1: a.y + 8, x2: b.x, y2: b.y - 10, class: 'edge' }));
  }
  for (const p of placed) {
    const { x, y } = pos(p);
    const n = p.node;
    const node = svg('g', { class: n.rank === undefined ? 'node byte' : 'node merge' });
    node.append(
      svg('text', { x, y, 'text-anchor': 'middle', class: 'piece' }, shown(n.text).slice(0, 14)),
      svg('text', { x, y: y + 12, 'text-anchor': 'middle', class: 'rank' }, n.rank === undefined ? `id ${n.id}` : `rank ${n.rank}`),
      svg('title', {}, n.rank === undefined ? `byte token ${n.id}: ${JSON.stringify(n.text)}` : `id ${n.id} = ${JSON.stringify(n.left!.text)} + ${JSON.stringify(n.right!.text)}, merge rank ${n.rank}`),
    );
    g.append(node);
  }
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, `How ${JSON.stringify(root.text)} (id ${root.id}) was built`), h('div', { class: 'scroll' }, g));
}

function mergeTable(root: TreeNode, hidden: boolean): HTMLElement {
  const steps = mergeSteps(root);
  return dataTable(
    `Merges that build ${JSON.stringify(root.text)}, earliest first`,
    ['rank', 'id', 'left', 'right', 'makes'],
    steps.map((s) => [s.rank, s.id, `${s.left.id} ${JSON.stringify(s.left.text)}`, `${s.right.id} ${JSON.stringify(s.right.text)}`, JSON.stringify(s.node.text)]),
    hidden,
  );
}

// ── the page ──

let selected = -1;
let textArea: HTMLTextAreaElement | undefined;

function trainedSection(d: TokensViewData, ctx: DrawContext, redraw: () => void): HTMLElement {
  const part = d.trained;
  const mine = part.learner;
  const shownTok: TrainedTokens = mine ?? part.reference;
  const agree = mine ? matches(mine.tokens, part.reference.tokens) : undefined;
  if (selected >= shownTok.tokens.length) selected = -1;
  if (selected < 0) selected = shownTok.tokens.findIndex((t) => !t.special && t.id >= 256 && (shownTok.merges[t.id] !== undefined));
  const rankOf = (t: TokenPiece) => (t.special ? 'special token' : t.id < 256 ? 'a byte' : `merge rank ${t.id - 256}`);
  const strip = tokenStrip(shownTok.tokens, {
    label: mine ? `Yours: ${shownTok.tokens.length} tokens for ${d.chars} characters` : `Reference: ${shownTok.tokens.length} tokens for ${d.chars} characters`,
    matches: agree,
    selected,
    onSelect: (i) => {
      selected = i;
      redraw();
    },
    describe: rankOf,
  });
  const pick = shownTok.tokens[selected];
  const tree = pick && !pick.special ? buildTree(pick.id, shownTok.merges, shownTok.pieces) : undefined;
  const mismatch = mine ? firstMismatch(mine.tokens, part.reference.tokens) : -1;
  const summary = mine
    ? h('p', { class: mismatch < 0 ? 'agree ok' : 'agree bad', role: 'status' }, mismatch < 0 ? `Same tokens as the reference trainer and encoder (${mine.tokens.length}).` : `${agree!.filter((x) => !x).length} of your tokens differ from the reference (first: token ${mismatch + 1}), marked ≠.`)
    : h('p', { class: 'agree' });
  return section(
    `${mine ? 'Your tokenizer' : 'The reference tokenizer'}, trained on Moby-Dick (vocabulary ${shownTok.vocabSize.toLocaleString('en-US')})`,
    `${shownTok.trainedOn}. Colours only separate neighbouring tokens. Select a token (click, or Enter on a focused token) to see its merge tree.`,
    ...(part.learnerError ? [ctx.errorNote('Your tokenizer', part.learnerError, /encodeText/.test(part.learnerError.message) ? 'encodeText' : 'trainFast')] : []),
    summary,
    strip,
    ...(tree ? [treeFigure(tree), mergeTable(tree, !ctx.showTables)] : [h('p', { class: 'note' }, 'Select a merged token (not a single byte) to see how it was built.')]),
    ...(ctx.showTables ? [tokensTable('Your tokens and the reference\'s', mine?.tokens ?? [], 'yours', part.reference.tokens, 'reference', false)] : []),
  );
}

function gpt2Section(d: TokensViewData, ctx: DrawContext): HTMLElement {
  const part = d.gpt2;
  const mine = part.learner;
  const ref = part.reference;
  const children: Node[] = [];
  if (part.learnerError) children.push(ctx.errorNote('GPT-2 through your encodeText', part.learnerError, 'encodeText'));
  if (mine) {
    const m = firstMismatch(mine, ref);
    children.push(
      h(
        'p',
        { class: m < 0 ? 'agree ok' : 'agree bad', role: 'status' },
        m < 0 ? `Identical to js-tiktoken: ${ref.length} tokens.` : `Differs from js-tiktoken: ${matches(mine, ref).filter((x) => !x).length} of your ${mine.length} tokens (js-tiktoken: ${ref.length}); first at token ${m + 1}. Differences are marked ≠.`,
      ),
    );
  }
  children.push(
    h(
      'div',
      { class: 'grid' },
      ...(mine ? [tokenStrip(mine, { label: `Yours (encodeText with GPT-2's merges): ${mine.length} tokens`, matches: matches(mine, ref) })] : []),
      tokenStrip(ref, { label: `js-tiktoken gpt2: ${ref.length} tokens`, matches: mine ? matches(ref, mine) : undefined }),
    ),
  );
  children.push(tokensTable('GPT-2 tokens: yours and js-tiktoken\'s', mine ?? [], 'yours', ref, 'js-tiktoken', !ctx.showTables));
  return section('GPT-2: your encoder beside js-tiktoken', `GPT-2's 50,000 merges and <|endoftext|> = 50256 in your encodeText, and the same text through js-tiktoken. ${(d.chars / Math.max(1, ref.length)).toFixed(2)} characters per GPT-2 token.`, ...children);
}

function studySection(d: TokensViewData, ctx: DrawContext): HTMLElement {
  const s = d.study;
  const log2 = (v: number) => Math.log2(v);
  const series: Series[] = [{ name: s.source === 'yours' ? 'yours' : 'reference trainer', points: s.points.map((p) => [log2(p.vocabSize), p.tokensPerChar]), markers: true }];
  if (s.source === 'yours') series.push({ name: 'reference', points: s.reference.map((p) => [log2(p.vocabSize), p.tokensPerChar]), dashed: true, markers: true });
  return section(
    'Vocabulary size against sequence length',
    `Tokens per character of held-out Moby-Dick for vocabularies of 256 … 8,192 tokens (x axis: log₂ of the size; 8 = 256, 13 = 8,192). ${s.note}`,
    ...(s.learnerError ? [ctx.errorNote('Your vocabulary study', s.learnerError, 'encodeText')] : []),
    h('p', { class: s.source === 'yours' ? 'agree ok' : 'agree', role: 'status' }, s.source === 'yours' ? 'Drawn from your trainFast and encodeText.' : 'Drawn from the reference trainer.'),
    lineChart({ title: 'Tokens per character', xLabel: 'vocabulary size (log₂)', yLabel: 'tokens per character', series, yDomain: [0, Math.max(1.05, ...s.points.map((p) => p.tokensPerChar))] }),
    dataTable(
      'Tokens per character by vocabulary size',
      ['vocabulary', s.source === 'yours' ? 'yours' : 'reference', 'reference'],
      s.points.map((p, i) => [p.vocabSize.toLocaleString('en-US'), p.tokensPerChar, s.reference[i]?.tokensPerChar ?? NaN]),
      !ctx.showTables,
    ),
  );
}

function draw(host: HTMLElement, d: TokensViewData, input: TokensViewInput, ctx: DrawContext): void {
  if (textArea && input.text === '' && textArea.value === '') textArea.value = d.settings.text;
  const render = () => {
    host.replaceChildren(trainedSection(d, ctx, render), gpt2Section(d, ctx), studySection(d, ctx), h('p', { class: 'source' }, `Text: ${d.chars} characters. Corpus: ${d.corpus}.`));
  };
  render();
}

startLabView<TokensViewInput, TokensViewData>({
  view: 'tokens',
  defaults: DEFAULTS,
  normalize,
  controls(input, change) {
    const area = h('textarea', { class: 'text-box', rows: '4', maxlength: String(MAX_TEXT), 'aria-label': 'Text to tokenize', spellcheck: 'false' }) as HTMLTextAreaElement;
    area.value = input.text;
    textArea = area;
    area.addEventListener('input', () => {
      selected = -1;
      change({ text: area.value });
    });
    const fromEditor = h(tags.button, { appearance: 'secondary' }, 'Use the editor selection');
    fromEditor.addEventListener('click', () => {
      area.value = '';
      selected = -1;
      change({ text: '' });
    });
    return h(
      'div',
      {},
      h('div', { class: 'field' }, h('label', {}, `Text (up to ${MAX_TEXT} characters; empty = your selection in the editor)`), area),
      numberField('Vocabulary size', input.vocabSize, 257, 8192, (v) => {
        selected = -1;
        change({ vocabSize: v });
      }),
      h('div', { class: 'field' }, h('label', {}, 'Selection'), fromEditor),
    );
  },
  draw,
});
