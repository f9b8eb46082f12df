// The page runtime every lab view panel shares: talks to the extension (typed messages from
// core/protocol/labView.ts), keeps the learner's inputs across hide/show with vscode.setState,
// shows progress and errors, and leaves the drawing to the view.
import type { HostToLabViewMessage, LabViewToHostMessage } from '../../core/protocol/labView';
import type { LearnerError } from '../../core/protocol/sidecar';
import { h } from './dom';
import { t } from './l10n';
import { partErrorText } from './errorText';
import { changeEffect, type ChangeOptions } from './changeEffect';
import { connectLabView } from './labViewChannel';
import { registerToolkit, tags } from './toolkit';

export interface DrawContext {
  /** The learner asked to see the numbers as tables. */
  showTables: boolean;
  /** A "Go to name()" button that opens the learner's function. */
  revealButton(name: string): HTMLElement;
  /** A learner error box for one part of the view (the rest still draws). */
  errorNote(what: string, err: LearnerError, fn?: string): HTMLElement;
  /** Changes the input from the drawing (a focused cell, say); see LabViewDefinition.controls. */
  change(patch: object, opts?: ChangeOptions): void;
  /** Says `text` to screen readers, once: the same words again are not repeated. */
  announce(text: string): void;
}

export type { ChangeOptions };

export interface LabViewDefinition<I extends object, D> {
  view: string;
  defaults: I;
  /** Keeps a restored or edited input valid (clamps numbers, fills missing fields). */
  normalize(input: Partial<I>): I;
  /**
   * The input controls, built once; `change` merges a patch into the input, then recomputes or
   * only redraws (ChangeOptions).
   */
  controls(input: I, change: (patch: Partial<I>, opts?: ChangeOptions) => void): HTMLElement;
  /** Puts an input changed elsewhere (restored, clamped, changed from the drawing) into controls built once. */
  sync?(input: I): void;
  /**
   * What is sent to the extension for an input (default: all of it); undefined while a field is
   * invalid, so nothing is asked until it is fixed.
   */
  requestOf?(input: I): Record<string, unknown> | undefined;
  /** How long to wait after a change before asking (default 250 ms; 0 when the controls wait themselves). */
  requestDelayMs?: number;
  /** Draws into `host`, which only this function changes: elements kept there keep their focus. */
  draw(host: HTMLElement, data: D, input: I, ctx: DrawContext): void;
}

interface SavedState<I> {
  input: I;
  showTables: boolean;
}

export function startLabView<I extends object, D>(def: LabViewDefinition<I, D>): void {
  registerToolkit();
  const channel = connectLabView(def.view, (m) => onMessage(m));
  const saved = (channel.saved ?? {}) as Partial<SavedState<I>>;
  let input = def.normalize({ ...def.defaults, ...(saved.input ?? {}) });
  let showTables = saved.showTables === true;
  let latest: D | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const send = (m: LabViewToHostMessage) => channel.send(m);
  const save = () => channel.save({ input, showTables } satisfies SavedState<I>);
  const requestBody = (i: I) => (def.requestOf ? def.requestOf(i) : (i as unknown as Record<string, unknown>));
  const request = () => {
    const body = requestBody(input);
    if (body) send({ type: 'request', body: { input: body } });
  };

  // The toolkit's ring makes itself an assertive "Loading" alert: hidden from screen readers, the busy text (a status) speaks.
  const busy = h('span', { class: 'busy-box', hidden: '', role: 'status' }, h(tags.progressRing, { class: 'busy', 'aria-hidden': 'true' }), h('span', { class: 'busy-text' }));
  const tablesButton = h(tags.button, { appearance: 'secondary', 'aria-pressed': String(showTables) }, showTables ? t('Hide tables') : t('Show tables'));
  const controlsHost = h('div', { class: 'controls' });
  const message = h('div', { class: 'message', 'aria-live': 'polite' });
  const content = h('div', { class: 'content' });
  const footer = h('p', { class: 'updated' });
  // What screen readers hear about the learner's errors: said again only when it changes.
  const errorsSpoken = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'errors-spoken' });
  // What a view announces about its numbers (ctx.announce), likewise.
  const announced = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'view-spoken' });
  const app = document.getElementById('app')!;
  app.replaceChildren(h('div', { class: 'toolbar' }, controlsHost, h('div', { class: 'toolbar-end' }, busy, tablesButton)), message, content, footer, errorsSpoken, announced);

  const ctx: DrawContext = {
    get showTables() {
      return showTables;
    },
    revealButton(name) {
      const b = h(tags.button, { appearance: 'secondary' }, t('Go to {0}()', name));
      b.addEventListener('click', () => send({ type: 'revealFunction', body: { name } }));
      return b;
    },
    errorNote(what, err, fn) {
      // No role="alert": notes are rebuilt on every redraw; the live region below speaks once per change.
      const note = h('div', { class: 'message error part-error' }, h('p', {}, partErrorText(what, err)));
      if (fn) note.append(ctx.revealButton(fn));
      return note;
    },
    change: (patch, opts) => change(patch as Partial<I>, opts),
    announce(text) {
      if (announced.textContent !== text) announced.textContent = text;
    },
  };

  function change(patch: Partial<I>, opts: ChangeOptions = {}): void {
    const before = requestBody(input);
    input = def.normalize({ ...input, ...patch });
    save();
    def.sync?.(input);
    const effect = changeEffect(before, requestBody(input), opts);
    if (effect === 'request') {
      clearTimeout(timer);
      timer = setTimeout(request, def.requestDelayMs ?? 250);
    } else if (effect === 'redraw') draw();
  }

  function renderControls(): void {
    controlsHost.replaceChildren(def.controls(input, change));
  }

  function draw(): void {
    // Choices about how to show numbers mean nothing without numbers (views may hide them).
    app.classList.toggle('no-data', latest === undefined);
    if (latest === undefined) return;
    try {
      def.draw(content, latest, input, ctx);
      const notes = [...content.querySelectorAll('.part-error > p')].map((p) => p.textContent ?? '');
      const said =
        notes.length === 0
          ? ''
          : notes.length === 1
            ? t('{0} part drawn from the reference only. {1}', notes.length, notes.join(' '))
            : t('{0} parts drawn from the reference only. {1}', notes.length, notes.join(' '));
      if (errorsSpoken.textContent !== said) errorsSpoken.textContent = said;
    } catch (err) {
      content.replaceChildren();
      showMessage(t('The panel could not draw these numbers.'), String((err as Error)?.message ?? err));
    }
  }

  function showMessage(text: string, detail?: string): void {
    message.className = text ? 'message error' : 'message';
    message.replaceChildren();
    if (!text) return;
    message.append(h('p', {}, text));
    if (detail) message.append(h('p', { class: 'detail' }, detail));
  }

  tablesButton.addEventListener('click', () => {
    showTables = !showTables;
    tablesButton.textContent = showTables ? t('Hide tables') : t('Show tables');
    tablesButton.setAttribute('aria-pressed', String(showTables));
    save();
    draw();
  });

  function onMessage(m: HostToLabViewMessage): void {
    switch (m.type) {
      case 'view':
        busy.hidden = true;
        latest = m.body.data as D;
        showMessage('');
        footer.textContent = t('{0}: computed by your code at {1}.', m.body.labTitle, new Date(m.body.updatedAt).toLocaleTimeString());
        draw();
        break;
      case 'busy':
        busy.hidden = false;
        busy.querySelector('.busy-text')!.textContent = m.body.reason;
        break;
      case 'unavailable':
        busy.hidden = true;
        latest = undefined;
        content.replaceChildren();
        draw();
        showMessage(m.body.message, m.body.detail);
        break;
    }
  }

  renderControls();
  def.sync?.(input);
  draw();
  showMessage('');
  message.append(h('p', { class: 'status' }, t('Waiting for the extension…')));
  send({ type: 'ready', body: {} });
  request();
}

/** A labelled number input (toolkit text field) that reports whole numbers in [min, max]. */
export function numberField(label: string, value: number, min: number, max: number, onChange: (v: number) => void, step = 1): HTMLElement {
  // The label is the field's own content: the toolkit names the inner input from it (an
  // aria-label attribute is overwritten with "Text field" when the element connects).
  const field = h(tags.textField, { value: String(value), size: '6' }, h('span', { slot: 'start' }), label);
  const error = h('p', { class: 'field-error', 'aria-live': 'polite' });
  field.addEventListener('input', () => {
    const v = Number((field as unknown as { value: string }).value);
    const ok = Number.isFinite(v) && v >= min && v <= max && (step !== 1 || Number.isInteger(v));
    error.textContent = ok ? '' : step === 1 ? t('{0}: a whole number from {1} to {2}', label, min, max) : t('{0}: a number from {1} to {2}', label, min, max);
    if (ok) onChange(v);
  });
  return h('div', { class: 'field' }, field, error);
}

/** A labelled dropdown of fixed options. */
export function selectField(label: string, value: string, options: [string, string][], onChange: (v: string) => void): HTMLElement {
  const dd = h(tags.dropdown, { 'aria-label': label }, ...options.map(([v, text]) => h(tags.option, v === value ? { value: v, selected: '' } : { value: v }, text)));
  dd.addEventListener('change', () => onChange((dd as unknown as { value: string }).value));
  return h('div', { class: 'field' }, h('label', {}, label), dd);
}

/** A labelled text field, reported on input. */
export function textField(label: string, value: string, onChange: (v: string) => void, cls = 'wide'): HTMLElement {
  const f = h(tags.textField, { value, class: cls }, label);
  f.addEventListener('input', () => onChange((f as unknown as { value: string }).value));
  return h('div', { class: 'field' }, f);
}

/** A labelled range slider (plain input: the toolkit has none), with its value shown. */
export function sliderField(label: string, value: number, min: number, max: number, step: number, onChange: (v: number) => void): HTMLElement {
  const out = h('output', {}, String(value));
  const r = h('input', { type: 'range', min: String(min), max: String(max), step: String(step), value: String(value), 'aria-label': label }) as HTMLInputElement;
  r.addEventListener('input', () => {
    out.textContent = r.value;
    onChange(Number(r.value));
  });
  return h('div', { class: 'field slider' }, h('label', {}, label), h('div', { class: 'slider-row' }, r, out));
}
