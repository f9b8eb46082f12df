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
  serializers: new Map<string, { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }>(),
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

const watcher = () => ({ onDidCreate: () => undefined, onDidChange: () => undefined, onDidDelete: () => undefined, dispose: () => undefined });

export const vscodeFake = {
  EventEmitter,
  Disposable,
  Uri,
  ViewColumn: { One: 1, Two: 2, Beside: -2 },
  ProgressLocation: { Notification: 15 },
  workspace: {
    get workspaceFolders() {
      return fake.folders.length ? fake.folders : undefined;
    },
    isTrusted: true,
    createFileSystemWatcher: watcher,
    onDidChangeWorkspaceFolders: (l: Listener<unknown>) => fake.folderChanged.event(l),
  },
  window: {
    showInformationMessage: show('info'),
    showWarningMessage: show('warning'),
    showErrorMessage: show('error'),
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
  },
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
    reveal: () => undefined,
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
