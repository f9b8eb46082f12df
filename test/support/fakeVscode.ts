// A small stand-in for the `vscode` module, for unit tests of host logic in plain Node (the real
// API runs only inside an extension host: the code-server suites use it). It holds only what the
// tested modules call; messages, pickers and context keys are recorded, and pickers and buttons
// answer from a queue the test fills. Anything else throws, so a test never passes on a silent stub.
import Module from 'node:module';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Disposable {
  constructor(private readonly fn: () => void) {}
  static from(...ds: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly fsPath: string) {}
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.fsPath, ...parts].join('/'));
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

export class Position {
  constructor(readonly line: number, readonly character: number) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
  }
}

export class Location {
  readonly range: Range;
  /** As VS Code's: a position becomes an empty range. */
  constructor(readonly uri: Uri, at: Range | Position) {
    this.range = at instanceof Position ? new Range(at, at) : at;
  }
}

export class TestMessage {
  expectedOutput?: string;
  actualOutput?: string;
  location?: Location;
  constructor(readonly message: string) {}
  static diff(message: string, expected: string, actual: string): TestMessage {
    const m = new TestMessage(message);
    m.expectedOutput = expected;
    m.actualOutput = actual;
    return m;
  }
}

export class TestRunRequest {
  constructor(readonly include?: FakeTestItem[], readonly exclude?: FakeTestItem[], readonly profile?: unknown, readonly continuous?: boolean) {}
}

/** A TestItemCollection: children by id, in insertion order. */
class ItemCollection {
  private readonly map = new Map<string, FakeTestItem>();
  get size(): number {
    return this.map.size;
  }
  get(id: string): FakeTestItem | undefined {
    return this.map.get(id);
  }
  add(item: FakeTestItem): void {
    this.map.set(item.id, item);
  }
  replace(items: FakeTestItem[]): void {
    this.map.clear();
    items.forEach((i) => this.add(i));
  }
  forEach(fn: (item: FakeTestItem) => void): void {
    [...this.map.values()].forEach(fn);
  }
}

export interface FakeTestItem {
  id: string;
  label: string;
  uri?: Uri;
  range?: Range;
  children: ItemCollection;
}

export interface FakeTestRun {
  request: TestRunRequest;
  name?: string;
  persist?: boolean;
  results: { item: FakeTestItem; state: 'passed' | 'failed' | 'errored' | 'skipped' | 'started'; message?: TestMessage }[];
  output: string[];
  ended: boolean;
}

/** A CancellationToken the test cancels. */
export function cancellation() {
  const emitter = new EventEmitter<void>();
  const token = { isCancellationRequested: false, onCancellationRequested: emitter.event };
  return { token, cancel: () => ((token.isCancellationRequested = true), emitter.fire()) };
}

export interface Shown {
  kind: 'info' | 'warning' | 'error';
  message: string;
  items: string[];
}

/** What the fake recorded, and the answers it gives; reset before each test. */
export const fake = {
  folders: [] as { uri: Uri; name: string; index: number }[],
  shown: [] as Shown[],
  quickPicks: [] as { items: { label: string }[]; title?: string }[],
  context: new Map<string, unknown>(),
  commands: [] as { id: string; args: unknown[] }[],
  registered: new Map<string, (...args: unknown[]) => unknown>(),
  testRuns: [] as FakeTestRun[],
  testControllers: [] as { items: ItemCollection; profiles: { label: string; kind: number; run: (req: TestRunRequest, token: unknown) => Promise<void>; isDefault?: boolean; supportsContinuousRun?: boolean }[] }[],
  statusBar: [] as { text: string; tooltip?: string; command?: string; visible: boolean }[],
  diagnostics: new Map<string, unknown[]>(),
  openedEditors: [] as { uri: Uri; selection?: Range }[],
  createdPanels: [] as { panel: ReturnType<typeof fakeWebviewPanel>; column: unknown }[],
  serializers: new Map<string, { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }>(),
  /** The editor groups' tabs, left to right; tabGroups.close removes the tabs it is given. */
  tabGroups: [] as { tabs: { label: string; isActive: boolean; input: unknown }[] }[],
  /** Fire after changing tabGroups, as VS Code tells the extension host of tab changes. */
  tabsChanged: new EventEmitter<unknown>(),
  /** Answers for showQuickPick, in order: a label, or undefined (dismissed). */
  pickAnswers: [] as (string | undefined)[],
  /** Answers for the buttons of show*Message, in order. */
  buttonAnswers: [] as (string | undefined)[],
  folderChanged: new EventEmitter<unknown>(),
  reset(): void {
    this.folders = [];
    this.shown = [];
    this.quickPicks = [];
    this.context.clear();
    this.commands = [];
    this.registered.clear();
    this.serializers.clear();
    this.createdPanels = [];
    this.testRuns = [];
    this.testControllers = [];
    this.statusBar = [];
    this.diagnostics.clear();
    this.openedEditors = [];
    this.tabGroups = [];
    this.tabsChanged = new EventEmitter<unknown>();
    this.pickAnswers = [];
    this.buttonAnswers = [];
    this.folderChanged = new EventEmitter<unknown>();
  },
  setFolders(dirs: string[]): void {
    this.folders = dirs.map((d, index) => ({ uri: Uri.file(d), name: d.split(/[\\/]/).pop()!, index }));
  },
};

const show = (kind: Shown['kind']) => (message: string, ...rest: unknown[]) => {
  const items = rest.filter((r): r is string => typeof r === 'string');
  fake.shown.push({ kind, message, items });
  return Promise.resolve(items.length ? fake.buttonAnswers.shift() : undefined);
};

// Registering a listener returns a Disposable, as in VS Code.
const watcher = () => ({ onDidCreate: () => new Disposable(() => undefined), onDidChange: () => new Disposable(() => undefined), onDidDelete: () => new Disposable(() => undefined), dispose: () => undefined });

const testController = () => {
  const items = new ItemCollection();
  const controller = {
    items,
    createTestItem: (id: string, label: string, uri?: Uri): FakeTestItem => ({ id, label, uri, children: new ItemCollection() }),
    profiles: [] as { label: string; kind: number; run: (req: TestRunRequest, token: unknown) => Promise<void>; isDefault?: boolean; supportsContinuousRun?: boolean }[],
    createRunProfile: (label: string, kind: number, run: (req: TestRunRequest, token: unknown) => Promise<void>, isDefault?: boolean, _tag?: unknown, supportsContinuousRun?: boolean) => {
      controller.profiles.push({ label, kind, run, isDefault, supportsContinuousRun });
      return { dispose: () => undefined };
    },
    createTestRun: (request: TestRunRequest, name?: string, persist = true) => {
      const run: FakeTestRun = { request, name, persist, results: [], output: [], ended: false };
      fake.testRuns.push(run);
      const record = (state: FakeTestRun['results'][number]['state']) => (item: FakeTestItem, message?: TestMessage) => {
        if (run.ended) throw new Error('result reported on an ended TestRun');
        run.results.push({ item, state, message: message instanceof TestMessage ? message : undefined });
      };
      return {
        started: record('started'),
        passed: record('passed'),
        skipped: record('skipped'),
        failed: record('failed'),
        errored: record('errored'),
        appendOutput: (t: string) => run.output.push(t),
        end: () => (run.ended = true),
      };
    },
    dispose: () => undefined,
  };
  fake.testControllers.push(controller);
  return controller;
};

const statusBarItem = () => {
  const item = { text: '', tooltip: undefined as string | undefined, command: undefined as string | undefined, name: '', visible: false, show: () => (item.visible = true), hide: () => (item.visible = false), dispose: () => undefined };
  fake.statusBar.push(item);
  return item;
};

export const vscodeFake = {
  RelativePattern: class {
    constructor(readonly base: Uri, readonly pattern: string) {}
  },
  EventEmitter,
  Disposable,
  Uri,
  Position,
  Range,
  Location,
  TestMessage,
  TestRunRequest,
  TestRunProfileKind: { Run: 1, Debug: 2, Coverage: 3 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  Diagnostic: class {
    source?: string;
    code?: string;
    relatedInformation?: unknown[];
    constructor(readonly range: Range, readonly message: string, readonly severity: number) {}
  },
  DiagnosticRelatedInformation: class {
    constructor(readonly location: Location, readonly message: string) {}
  },
  CodeLens: class {
    constructor(readonly range: Range, readonly command?: unknown) {}
  },
  tests: { createTestController: testController },
  languages: {
    createDiagnosticCollection: () => ({
      set: (uri: Uri, d: unknown[]) => fake.diagnostics.set(uri.fsPath, d),
      clear: () => fake.diagnostics.clear(),
      dispose: () => undefined,
    }),
    registerCodeLensProvider: () => new Disposable(() => undefined),
  },
  ViewColumn: { One: 1, Two: 2, Beside: -2 },
  ProgressLocation: { Notification: 15 },
  workspace: {
    get workspaceFolders() {
      return fake.folders.length ? fake.folders : undefined;
    },
    isTrusted: true,
    createFileSystemWatcher: watcher,
    onDidChangeWorkspaceFolders: (l: Listener<unknown>) => fake.folderChanged.event(l),
    onDidGrantWorkspaceTrust: () => new Disposable(() => undefined),
    openTextDocument: (u: Uri | string) => Promise.resolve({ uri: typeof u === 'string' ? Uri.file(u) : u }),
  },
  window: {
    createStatusBarItem: statusBarItem,
    tabGroups: {
      get all() {
        return fake.tabGroups;
      },
      onDidChangeTabs: (l: Listener<unknown>) => fake.tabsChanged.event(l),
      close: (tabs: unknown[]) => {
        for (const g of fake.tabGroups) g.tabs = g.tabs.filter((t) => !tabs.includes(t));
        return Promise.resolve(true);
      },
    },
    visibleTextEditors: [] as unknown[],
    showTextDocument: (doc: { uri: Uri }, opts?: { selection?: Range }) => {
      fake.openedEditors.push({ uri: doc.uri, selection: opts?.selection });
      return Promise.resolve({});
    },
    showInformationMessage: show('info'),
    showWarningMessage: show('warning'),
    showErrorMessage: show('error'),
    createWebviewPanel: (viewType: string, _title: string, column: unknown, options: unknown) => {
      const panel = fakeWebviewPanel(viewType);
      panel.webview.options = options;
      fake.createdPanels.push({ panel, column });
      return panel;
    },
    registerWebviewPanelSerializer: (viewType: string, s: { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }) => {
      fake.serializers.set(viewType, s);
      return new Disposable(() => fake.serializers.delete(viewType));
    },
    showQuickPick: (items: { label: string }[], opts?: { title?: string }) => {
      fake.quickPicks.push({ items, title: opts?.title });
      const answer = fake.pickAnswers.shift();
      return Promise.resolve(items.find((i) => i.label === answer));
    },
  },
  commands: {
    executeCommand: (id: string, ...args: unknown[]) => {
      fake.commands.push({ id, args });
      if (id === 'setContext') fake.context.set(args[0] as string, args[1]);
      return Promise.resolve(undefined);
    },
    registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
      fake.registered.set(id, fn);
      return new Disposable(() => fake.registered.delete(id));
    },
  },
  l10n: {
    t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])),
    // English: VS Code has no bundle then, and the pages get none (src/panels/webviewHtml.ts).
    bundle: undefined as Record<string, string> | undefined,
  },
  env: { language: 'en' },
};

/** A webview panel as VS Code hands it back after a reload: records what the extension sets. */
export function fakeWebviewPanel(viewType: string) {
  const disposeListeners: (() => void)[] = [];
  const panel = {
    viewType,
    visible: true,
    disposed: false,
    iconPath: undefined as unknown,
    posted: [] as unknown[],
    webview: {
      options: undefined as unknown,
      html: '',
      cspSource: 'vscode-resource:',
      asWebviewUri: (u: Uri) => u,
      onDidReceiveMessage: () => new Disposable(() => undefined),
      postMessage: (m: unknown) => (panel.posted.push(m), Promise.resolve(true)),
    },
    onDidDispose: (l: () => void) => (disposeListeners.push(l), new Disposable(() => undefined)),
    onDidChangeViewState: () => new Disposable(() => undefined),
    reveals: [] as unknown[][],
    reveal: (...args: unknown[]) => void panel.reveals.push(args),
    dispose: () => {
      if (panel.disposed) return;
      panel.disposed = true;
      disposeListeners.forEach((l) => l());
    },
  };
  return panel;
}

/** Makes `require('vscode')` return the fake (once per process; the fake's state is shared). */
export function installFakeVscode(): typeof fake {
  const m = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown; __fakeVscode?: boolean };
  if (!m.__fakeVscode) {
    const load = m._load;
    m._load = function (request: string, ...rest: unknown[]) {
      if (request === 'vscode') return vscodeFake;
      return load.call(this, request, ...rest);
    };
    m.__fakeVscode = true;
  }
  return fake;
}
