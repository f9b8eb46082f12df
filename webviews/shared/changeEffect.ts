// What an input change does on a lab view page (labViewApp.ts): ask the extension for new
// numbers, only redraw from the numbers already here, or nothing. Pure, unit-tested.

export interface ChangeOptions {
  /**
   * Whether the change needs new numbers from the extension. Default: whether the part of the
   * input that is sent (`requestOf`) changed; a change that leaves it as it was only redraws
   * from the numbers already here (which head, which layer's maps, yours or the reference).
   */
  recompute?: boolean;
  /** false: neither recompute nor redraw (the drawing already shows it, e.g. a moved focus). */
  redraw?: boolean;
}

/** `before` and `after`: what would be sent for the input before and after the change (undefined: nothing, a field is invalid). */
export function changeEffect(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, opts: ChangeOptions = {}): 'request' | 'redraw' | 'none' {
  if (opts.redraw === false) return 'none';
  const recompute = opts.recompute ?? JSON.stringify(before ?? null) !== JSON.stringify(after ?? null);
  return recompute ? 'request' : 'redraw';
}
