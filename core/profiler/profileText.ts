// The profiler's result as plain text (the CLI, and the panel's table for screen readers): every
// size's time and peak tensor memory, the fitted exponents beside the reference's and N², and
// the extrapolation to N = 100,000.
import { EXTRAPOLATE_N, type ProfileRunData, type Series } from '../protocol/views/profileView';

export function formatBytes(b: number): string {
  if (b >= 1e9) return `${(b / 1e9).toFixed(b >= 1e11 ? 0 : 1)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
  if (b >= 1e3) return `${(b / 1e3).toFixed(1)} kB`;
  return `${Math.round(b)} B`;
}

export function formatMs(ms: number): string {
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  return ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;
}

function fitText(s: Series): string {
  const k = (f: Series['time']) => (f ? `N^${f.exponent.toFixed(2)}` : 'no fit (too few sizes)');
  return `time ~ ${k(s.time)}, peak memory ~ ${k(s.memory)}`;
}

export function formatProfile(d: ProfileRunData): string {
  const lines: string[] = [];
  for (const target of d.settings.targets) {
    const mine = d.series.find((s) => s.target === target && s.who === 'learner')!;
    const ref = d.series.find((s) => s.target === target && s.who === 'reference')!;
    lines.push(`${target}  (d = ${d.settings.d}${target === 'multiHeadAttention' ? `, ${d.settings.heads} heads` : ''}${target === 'chunkedAttention' ? `, chunks of ${d.settings.chunk}` : ''})`);
    lines.push(`  ${'N'.padStart(6)}  ${'yours: time'.padStart(12)}  ${'peak memory'.padStart(11)}   ${'reference: time'.padStart(15)}  ${'peak memory'.padStart(11)}`);
    const sizes = [...new Set([...mine.points, ...ref.points].map((p) => p.n))].sort((a, b) => a - b);
    for (const n of sizes) {
      const a = mine.points.find((p) => p.n === n);
      const b = ref.points.find((p) => p.n === n);
      lines.push(
        `  ${String(n).padStart(6)}  ${(a ? formatMs(a.ms) : '—').padStart(12)}  ${(a ? formatBytes(a.peakBytes) : '—').padStart(11)}   ${(b ? formatMs(b.ms) : '—').padStart(15)}  ${(b ? formatBytes(b.peakBytes) : '—').padStart(11)}`,
      );
    }
    lines.push(`  yours:     ${fitText(mine)}${mine.stopped ? `; stopped: ${mine.stopped}` : ''}`);
    lines.push(`  reference: ${fitText(ref)}${ref.stopped ? `; stopped: ${ref.stopped}` : ''}`);
    if (mine.at100k) lines.push(`  yours at N = ${EXTRAPOLATE_N.toLocaleString('en-US')}: about ${formatMs(mine.at100k.ms)} and ${formatBytes(mine.at100k.bytes)} of tensors (extrapolated)`);
    lines.push('');
  }
  lines.push(`For scale: one N × N float32 score matrix at N = ${EXTRAPOLATE_N.toLocaleString('en-US')} is ${formatBytes(d.scoreMatrixBytesAt100k)} (N² line: exponent 2).`);
  if (d.cancelled) lines.push('(cancelled before every size was measured)');
  return lines.join('\n');
}
