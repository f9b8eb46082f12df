// Lab 4's token panel: the text box through the learner's tokenizer trained on Moby-Dick
// (coloured token boundaries, ids on hover and focus, the merge tree of a selected token), the
// same text through GPT-2 — the learner's encodeText beside js-tiktoken, differences marked —
// and the vocabulary-size study (bundled to dist/webviews/tokens.js).
import type { TokenPiece, TokensViewData, TokensViewInput, TrainedTokens } from '../../core/protocol/views/tokensView';
import { dataTable, lineChart, Series } from '../shared/charts';
import { h, svg } from '../shared/dom';
import { t } from '../shared/l10n';
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
  const status = h('p', { class: 'tok-status', 'aria-live': 'polite' }, t('Hover or focus a token to see its id.'));
  const strip = h('div', { class: 'tokens', role: 'list', 'aria-label': t('{0}: {1} tokens', o.label, tokens.length) });
  const tell = (tok: TokenPiece, i: number) => {
    const extra = o.describe ? ` · ${o.describe(tok)}` : '';
    const diff = o.matches && !o.matches[i] ? ` · ${t('differs from the other side')}` : '';
    const which = tok.special
      ? t('Token {0} of {1}: {2} — id {3} (special)', i + 1, tokens.length, JSON.stringify(tok.text), tok.id)
      : t('Token {0} of {1}: {2} — id {3}', i + 1, tokens.length, JSON.stringify(tok.text), tok.id);
    status.textContent = `${which}${extra}${diff}`;
  };
  tokens.forEach((tok, i) => {
    const differs = o.matches ? !o.matches[i] : false;
    const cls = ['tok', `c${i % 6}`, tok.special ? 'special' : '', tok.partial ? 'partial' : '', differs ? 'differs' : '', o.selected === i ? 'selected' : ''].filter(Boolean).join(' ');
    const chip = h(
      'span',
      {
        class: cls,
        role: 'listitem',
        tabindex: '0',
        title: `${tok.special ? t('id {0} (special)', tok.id) : t('id {0}', tok.id)} · ${tok.partial ? t('bytes {0} (part of a character)', tok.text) : JSON.stringify(tok.text)}${differs ? ` · ${t('differs')}` : ''}`,
        'aria-label': `${t('{0}, id {1}', JSON.stringify(tok.text), tok.id)}${differs ? `, ${t('differs')}` : ''}${o.selected === i ? `, ${t('selected')}` : ''}`,
      },
      tok.partial ? tok.text : shown(tok.text),
    );
    if (differs) chip.append(h('span', { class: 'diff-mark', 'aria-hidden': 'true' }, '≠'));
    chip.addEventListener('mouseenter', () => tell(tok, i));
    chip.addEventListener('focus', () => tell(tok, i));
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
    if (tok.text.endsWith('\n')) strip.append(h('br', {}));
  });
  return h('figure', { class: 'chart-figure strip-figure' }, h('figcaption', {}, o.label), strip, status);
}

function tokensTable(caption: string, a: TokenPiece[], aName: string, b: TokenPiece[], bName: string, hidden: boolean): HTMLElement {
  const n = Math.max(a.length, b.length);
  const cell = (tok: TokenPiece | undefined) => (tok ? `${tok.id} ${JSON.stringify(tok.text)}` : '—');
  const ma = matches(a, b);
  return dataTable(caption, ['#', aName, bName, t('same')], Array.from({ length: n }, (_, i) => [i, cell(a[i]), cell(b[i]), i < a.length ? (ma[i] ? t('yes') : t('no')) : '—']), hidden);
}

// ── merge tree ──

function treeFigure(root: TreeNode): HTMLElement {
  const { placed, leaves, depth } = layoutTree(root);
  const CW = 56;
  const RH = 44;
  const W = Math.max(1, leaves) * CW + 20;
  const H = (depth + 1) * RH + 10;
  const pos = (p: { x: number; depth: number }) => ({ x: 10 + p.x * CW + CW / 2, y: 18 + p.depth * RH });
  const label = t('Merge tree of {0} (id {1}): {2} nodes, {3} bytes', JSON.stringify(root.text), root.id, placed.length, leaves);
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
      svg('text', { x, y: y + 12, 'text-anchor': 'middle', class: 'rank' }, n.rank === undefined ? t('id {0}', n.id) : t('rank {0}', n.rank)),
      svg('title', {}, n.rank === undefined ? t('byte token {0}: {1}', n.id, JSON.stringify(n.text)) : t('id {0} = {1} + {2}, merge rank {3}', n.id, JSON.stringify(n.left!.text), JSON.stringify(n.right!.text), n.rank)),
    );
    g.append(node);
  }
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, t('How {0} (id {1}) was built', JSON.stringify(root.text), root.id)), h('div', { class: 'scroll' }, g));
}

function mergeTable(root: TreeNode, hidden: boolean): HTMLElement {
  const steps = mergeSteps(root);
  return dataTable(
    t('Merges that build {0}, earliest first', JSON.stringify(root.text)),
    [t('rank'), t('id'), t('left'), t('right'), t('makes')],
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
  if (selected < 0) selected = shownTok.tokens.findIndex((tok) => !tok.special && tok.id >= 256 && (shownTok.merges[tok.id] !== undefined));
  const rankOf = (tok: TokenPiece) => (tok.special ? t('special token') : tok.id < 256 ? t('a byte') : t('merge rank {0}', tok.id - 256));
  const strip = tokenStrip(shownTok.tokens, {
    label: mine ? t('Yours: {0} tokens for {1} characters', shownTok.tokens.length, d.chars) : t('Reference: {0} tokens for {1} characters', shownTok.tokens.length, d.chars),
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
    ? h('p', { class: mismatch < 0 ? 'agree ok' : 'agree bad', role: 'status' }, mismatch < 0 ? t('Same tokens as the reference trainer and encoder ({0}).', mine.tokens.length) : t('{0} of your tokens differ from the reference (first: token {1}), marked ≠.', agree!.filter((x) => !x).length, mismatch + 1))
    : h('p', { class: 'agree' });
  return section(
    mine
      ? t('Your tokenizer, trained on Moby-Dick (vocabulary {0})', shownTok.vocabSize.toLocaleString('en-US'))
      : t('The reference tokenizer, trained on Moby-Dick (vocabulary {0})', shownTok.vocabSize.toLocaleString('en-US')),
    t('{0}. Colours only separate neighbouring tokens. Select a token (click, or Enter on a focused token) to see its merge tree.', shownTok.trainedOn),
    ...(part.learnerError ? [ctx.errorNote(t('Your tokenizer'), part.learnerError, /encodeText/.test(part.learnerError.message) ? 'encodeText' : 'trainFast')] : []),
    summary,
    strip,
    ...(tree ? [treeFigure(tree), mergeTable(tree, !ctx.showTables)] : [h('p', { class: 'note' }, t('Select a merged token (not a single byte) to see how it was built.'))]),
    ...(ctx.showTables ? [tokensTable(t("Your tokens and the reference's"), mine?.tokens ?? [], t('yours'), part.reference.tokens, t('reference'), false)] : []),
  );
}

function gpt2Section(d: TokensViewData, ctx: DrawContext): HTMLElement {
  const part = d.gpt2;
  const mine = part.learner;
  const ref = part.reference;
  const children: Node[] = [];
  if (part.learnerError) children.push(ctx.errorNote(t('GPT-2 through your encodeText'), part.learnerError, 'encodeText'));
  if (mine) {
    const m = firstMismatch(mine, ref);
    children.push(
      h(
        'p',
        { class: m < 0 ? 'agree ok' : 'agree bad', role: 'status' },
        m < 0
          ? t('Identical to js-tiktoken: {0} tokens.', ref.length)
          : t('Differs from js-tiktoken: {0} of your {1} tokens (js-tiktoken: {2}); first at token {3}. Differences are marked ≠.', matches(mine, ref).filter((x) => !x).length, mine.length, ref.length, m + 1),
      ),
    );
  }
  children.push(
    h(
      'div',
      { class: 'grid' },
      ...(mine ? [tokenStrip(mine, { label: t("Yours (encodeText with GPT-2's merges): {0} tokens", mine.length), matches: matches(mine, ref) })] : []),
      tokenStrip(ref, { label: t('js-tiktoken gpt2: {0} tokens', ref.length), matches: mine ? matches(ref, mine) : undefined }),
    ),
  );
  children.push(tokensTable(t("GPT-2 tokens: yours and js-tiktoken's"), mine ?? [], t('yours'), ref, 'js-tiktoken', !ctx.showTables));
  return section(
    t('GPT-2: your encoder beside js-tiktoken'),
    t("GPT-2's 50,000 merges and <|endoftext|> = 50256 in your encodeText, and the same text through js-tiktoken. {0} characters per GPT-2 token.", (d.chars / Math.max(1, ref.length)).toFixed(2)),
    ...children,
  );
}

function studySection(d: TokensViewData, ctx: DrawContext): HTMLElement {
  const s = d.study;
  const log2 = (v: number) => Math.log2(v);
  const series: Series[] = [{ name: s.source === 'yours' ? t('yours') : t('reference trainer'), points: s.points.map((p) => [log2(p.vocabSize), p.tokensPerChar]), markers: true }];
  if (s.source === 'yours') series.push({ name: t('reference'), points: s.reference.map((p) => [log2(p.vocabSize), p.tokensPerChar]), dashed: true, markers: true });
  return section(
    t('Vocabulary size against sequence length'),
    t('Tokens per character of held-out Moby-Dick for vocabularies of 256 … 8,192 tokens (x axis: log₂ of the size; 8 = 256, 13 = 8,192). {0}', s.note),
    ...(s.learnerError ? [ctx.errorNote(t('Your vocabulary study'), s.learnerError, 'encodeText')] : []),
    h('p', { class: s.source === 'yours' ? 'agree ok' : 'agree', role: 'status' }, s.source === 'yours' ? t('Drawn from your trainFast and encodeText.') : t('Drawn from the reference trainer.')),
    lineChart({ title: t('Tokens per character'), xLabel: t('vocabulary size (log₂)'), yLabel: t('tokens per character'), series, yDomain: [0, Math.max(1.05, ...s.points.map((p) => p.tokensPerChar))] }),
    dataTable(
      t('Tokens per character by vocabulary size'),
      [t('vocabulary'), s.source === 'yours' ? t('yours') : t('reference'), t('reference')],
      s.points.map((p, i) => [p.vocabSize.toLocaleString('en-US'), p.tokensPerChar, s.reference[i]?.tokensPerChar ?? NaN]),
      !ctx.showTables,
    ),
  );
}

function draw(host: HTMLElement, d: TokensViewData, input: TokensViewInput, ctx: DrawContext): void {
  if (textArea && input.text === '' && textArea.value === '') textArea.value = d.settings.text;
  const render = () => {
    host.replaceChildren(trainedSection(d, ctx, render), gpt2Section(d, ctx), studySection(d, ctx), h('p', { class: 'source' }, t('Text: {0} characters. Corpus: {1}.', d.chars, d.corpus)));
  };
  render();
}

startLabView<TokensViewInput, TokensViewData>({
  view: 'tokens',
  defaults: DEFAULTS,
  normalize,
  controls(input, change) {
    const area = h('textarea', { class: 'text-box', rows: '4', maxlength: String(MAX_TEXT), 'aria-label': t('Text to tokenize'), spellcheck: 'false' }) as HTMLTextAreaElement;
    area.value = input.text;
    textArea = area;
    area.addEventListener('input', () => {
      selected = -1;
      change({ text: area.value });
    });
    const fromEditor = h(tags.button, { appearance: 'secondary' }, t('Use the editor selection'));
    fromEditor.addEventListener('click', () => {
      area.value = '';
      selected = -1;
      change({ text: '' });
    });
    return h(
      'div',
      {},
      h('div', { class: 'field' }, h('label', {}, t('Text (up to {0} characters; empty = your selection in the editor)', MAX_TEXT)), area),
      numberField(t('Vocabulary size'), input.vocabSize, 257, 8192, (v) => {
        selected = -1;
        change({ vocabSize: v });
      }),
      h('div', { class: 'field' }, h('label', {}, t('Selection')), fromEditor),
    );
  },
  draw,
});
