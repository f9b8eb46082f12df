// The complexity profiler panel (Lab 1): time and peak tensor memory of the learner's attention,
// multiHeadAttention and the bonus chunkedAttention against N on log-log axes, beside the
// reference and the N² line, with the fitted exponents and the extrapolation to N = 100,000
// (bundled to dist/webviews/profile.js). The numbers come from core/profiler via the sidecar.
import type { ProfileRunData, ProfileTarget, Series } from '../../core/protocol/views/profileView';
import { dataTable, lineChart, SERIES_COLORS, type Series as Line } from '../shared/charts';
import { h } from '../shared/dom';
import { t } from '../shared/l10n';
import { DrawContext, selectField, startLabView } from '../shared/labViewApp';

interface Input {
  maxN: number;
  /** Bumped by "Profile again": the same settings measured anew. */
  run: number;
}

const SIZES = [256, 512, 1024, 2048];
const DEFAULTS: Input = { maxN: 1024, run: 0 };
const NAMES: Record<ProfileTarget, string> = { attention: 'attention', multiHeadAttention: 'multiHeadAttention', chunkedAttention: t('{0} (bonus)', 'chunkedAttention') };

function normalize(i: Partial<Input>): Input {
  const maxN = SIZES.includes(Number(i.maxN)) ? Number(i.maxN) : DEFAULTS.maxN;
  return { maxN, run: Number.isInteger(i.run) ? Number(i.run) : 0 };
}

function controls(input: Input, change: (p: Partial<Input>) => void): HTMLElement {
  const again = h('vscode-button', { appearance: 'secondary' }, t('Profile again'));
  again.addEventListener('click', () => change({ run: input.run + 1 }));
  return h(
    'div',
    { class: 'controls-row' },
    selectField(t('Largest N'), String(input.maxN), SIZES.map((n) => [String(n), t('N up to {0}', n)]), (v) => change({ maxN: Number(v) })),
    again,
  );
}

const log2 = Math.log2;
// The page takes no code from core/ (its bundle stays browser-only): its own short formats.
const formatBytes = (b: number) => (b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} kB`);
const formatMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms >= 10 ? 0 : 2)} ms`);

/** log-log lines: each series, and an N² (or N¹) guide through the reference's last point. */
function chart(title: string, yLabel: string, mine: Series, ref: Series, pick: (p: Series['points'][number]) => number, color: string): HTMLElement {
  const pts = (s: Series): [number, number][] => s.points.filter((p) => pick(p) > 0).map((p) => [log2(p.n), Math.log10(pick(p))]);
  const lines: Line[] = [
    { name: t('yours'), points: pts(mine), color, markers: true },
    { name: t('reference'), points: pts(ref), color, dashed: true },
  ];
  const anchor = ref.points.filter((p) => pick(p) > 0).at(-1) ?? mine.points.filter((p) => pick(p) > 0).at(-1);
  if (anchor) {
    const ns = [...mine.points, ...ref.points].map((p) => p.n);
    const lo = Math.min(...ns);
    lines.push({ name: t('N² line'), points: [[log2(lo), Math.log10(pick(anchor)) - 2 * Math.log10(anchor.n / lo)], [log2(anchor.n), Math.log10(pick(anchor))]], color: 'var(--vscode-descriptionForeground)', dashed: true });
  }
  return lineChart({ title, xLabel: 'log₂ N', yLabel, series: lines, width: 420, height: 240 });
}

function fitLine(who: string, s: Series): string {
  const k = (f: Series['time']) => (f ? `N^${f.exponent.toFixed(2)}` : t('not enough sizes yet'));
  return s.stopped
    ? t('{0}: time grows like {1}, peak memory like {2} (stopped {3}).', who, k(s.time), k(s.memory), s.stopped)
    : t('{0}: time grows like {1}, peak memory like {2}.', who, k(s.time), k(s.memory));
}

function draw(host: HTMLElement, d: ProfileRunData, _input: Input, ctx: DrawContext): void {
  const sections: Node[] = [];
  d.settings.targets.forEach((target, i) => {
    const mine = d.series.find((s) => s.target === target && s.who === 'learner')!;
    const ref = d.series.find((s) => s.target === target && s.who === 'reference')!;
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    const rows = [...new Set([...mine.points, ...ref.points].map((p) => p.n))]
      .sort((a, b) => a - b)
      .map((n) => {
        const a = mine.points.find((p) => p.n === n);
        const b = ref.points.find((p) => p.n === n);
        return [n, a ? formatMs(a.ms) : '—', a ? formatBytes(a.peakBytes) : '—', b ? formatMs(b.ms) : '—', b ? formatBytes(b.peakBytes) : '—'];
      });
    sections.push(
      h(
        'section',
        { class: 'section' },
        h('h2', {}, NAMES[target]),
        ...(mine.error ? [ctx.errorNote(t('Your {0}', target), mine.error, target)] : []),
        h('div', { class: 'charts' }, chart(t('{0}: time', target), 'log₁₀ ms', mine, ref, (p) => p.ms, color), chart(t('{0}: peak tensor memory', target), 'log₁₀ bytes', mine, ref, (p) => p.peakBytes, color)),
        h('p', { class: 'fit' }, fitLine(t('Yours'), mine)),
        h('p', { class: 'fit' }, fitLine(t('Reference'), ref)),
        ...(mine.at100k ? [h('p', { class: 'extrapolation' }, t('Extrapolated to N = {0}: about {1} and {2} of tensors for one call.', d.extrapolateN.toLocaleString('en-US'), formatMs(mine.at100k.ms), formatBytes(mine.at100k.bytes)))] : []),
        dataTable(t('{0}: time and peak tensor memory per N', target), ['N', t('your time'), t('your peak memory'), t('reference time'), t('reference peak memory')], rows, !ctx.showTables),
      ),
    );
  });
  const status = d.measuring ? t('Measuring {0} at N = {1}…', d.measuring.target, d.measuring.n) : d.cancelled ? t('Cancelled.') : t('Done.');
  host.replaceChildren(
    h('p', { class: 'note' }, t('Each size is one call of your function inside the compute process, under your time limit; time is the median of repeated calls, memory the peak of tensor bytes held at once (tf.memory). For scale: one N × N float32 score matrix at N = 100,000 is {0}.', formatBytes(d.scoreMatrixBytesAt100k))),
    h('p', { class: 'status', role: 'status' }, status),
    ...sections,
  );
}

startLabView<Input, ProfileRunData>({ view: 'profile', defaults: DEFAULTS, normalize, controls, draw });
