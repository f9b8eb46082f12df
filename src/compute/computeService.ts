// The sidecar as the extension sees it: started on first use, restarted after a crash (by
// the client), shown in the status bar with the backend actually in use.
import * as vscode from 'vscode';
import { SidecarClient, SidecarState } from '../../core/compute/sidecarClient';
import type { BackendInfo, BackendPreference } from '../../core/protocol/sidecar';
import { backendHoverMarkdown, backendStatusText } from './backendHover';
import type { LabsContext } from '../context';
import { readSettings, SECTION } from '../config';
import { explainGpuInstallFailure, findNpm, GPU_PACKAGE, gpuModulesDir, installGpuBackend, isGpuInstalled } from './gpuSetup';
import { forgetNodeVersions, resolveNodeRuntime } from './nodeRuntime';

export class ComputeService implements vscode.Disposable {
  private clientPromise?: Promise<SidecarClient>;
  private readonly status: vscode.StatusBarItem;
  private crashWarned = false;
  private runtimeDescription = '';
  private settingOwnChange = false;

  constructor(private readonly ctx: LabsContext) {
    this.status = vscode.window.createStatusBarItem('transformerLabs.compute', vscode.StatusBarAlignment.Right, 100);
    this.status.name = 'Transformer Labs Compute';
    this.status.command = 'transformerLabs.selectBackend';
    this.status.text = '$(chip) compute: not started';
    this.status.tooltip = 'The compute process starts when a lab is checked.';
    ctx.push(
      ctx.onDidChangeSettings((e) => {
        if (e.affects('compute') && !this.settingOwnChange) void this.restart();
      }),
    );
  }

  showStatus(): void {
    this.status.show();
  }

  /**
   * The client, created (not yet started) on first use. Finding the Node runtime asks it for its
   * version in a child process, so this is async and never blocks the extension host. The
   * sidecar contains the process that runs learner code itself (sidecar/runner/containment.ts).
   */
  client(): Promise<SidecarClient> {
    this.clientPromise ??= (async () => {
      const s = readSettings();
      const runtime = await resolveNodeRuntime(s.nodePath);
      this.runtimeDescription = runtime.description;
      const storage = this.ctx.extension.globalStorageUri.fsPath;
      const client = new SidecarClient({
        nodePath: runtime.path,
        env: runtime.env,
        sidecarScript: this.ctx.paths.sidecarScript,
        labsDist: this.ctx.paths.labsDist,
        backend: s.backend,
        gpuModulesDir: isGpuInstalled(storage) ? gpuModulesDir(storage) : undefined,
        log: (level, message) => this.ctx.output[level === 'warn' ? 'warn' : level](message),
      });
      this.ctx.push(client.onStateChange((st) => this.render(st)));
      this.showStatus();
      return client;
    })();
    // A runtime setting that does not run: the next use asks again (after the learner fixed it).
    this.clientPromise.catch(() => (this.clientPromise = undefined));
    return this.clientPromise;
  }

  /** The client if it exists already (no runtime lookup). */
  private get existing(): Promise<SidecarClient> | undefined {
    return this.clientPromise;
  }

  /** Stops the sidecar; resolves when its process is gone (deactivate waits for this). */
  async stop(): Promise<void> {
    const client = await this.existing?.catch(() => undefined);
    await client?.dispose();
  }

  private render(st: SidecarState): void {
    switch (st.kind) {
      case 'starting':
        this.status.text = '$(loading~spin) compute: starting';
        this.status.backgroundColor = undefined;
        break;
      case 'ready': {
        const b = st.info.backend;
        this.status.text = backendStatusText(b.name);
        this.status.backgroundColor = undefined;
        this.status.tooltip = this.hover(b);
        this.crashWarned = false;
        break;
      }
      case 'crashed':
        this.status.text = '$(warning) compute: restarting';
        this.status.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        if (!this.crashWarned) {
          this.crashWarned = true;
          void vscode.window
            .showWarningMessage(`Transformer Labs: the compute process ${st.message}; it restarts on the next check.`, 'Show Log')
            .then((pick) => pick && this.ctx.output.show(true));
        }
        break;
      case 'stopped':
        this.status.text = '$(chip) compute: stopped';
        break;
    }
  }

  private hover(b: BackendInfo): vscode.MarkdownString {
    const md = new vscode.MarkdownString(backendHoverMarkdown(b, this.runtimeDescription), true);
    md.isTrusted = { enabledCommands: ['transformerLabs.setupGpu', 'transformerLabs.selectBackend', 'transformerLabs.showComputeLog'] };
    return md;
  }

  /** Restarts the sidecar with the current settings; `force` starts it even if it never ran. */
  async restart(force = false): Promise<void> {
    if (!this.existing && !force) return;
    try {
      // The runtime setting may point elsewhere now: ask the runtimes again.
      forgetNodeVersions();
      const client = await this.client();
      const s = readSettings();
      const runtime = await resolveNodeRuntime(s.nodePath);
      this.runtimeDescription = runtime.description;
      const storage = this.ctx.extension.globalStorageUri.fsPath;
      await client.restart({
        backend: s.backend,
        nodePath: runtime.path,
        env: runtime.env,
        gpuModulesDir: isGpuInstalled(storage) ? gpuModulesDir(storage) : undefined,
      });
    } catch (err) {
      this.ctx.output.error(`restart failed: ${(err as Error).message}`);
      void vscode.window
        .showErrorMessage(`Transformer Labs: the compute process did not start: ${(err as Error).message}`, 'Show Log')
        .then((p) => p && this.ctx.output.show(true));
    }
  }

  async selectBackend(): Promise<void> {
    const current = readSettings().backend;
    const options: { value: BackendPreference; label: string; description: string }[] = [
      { value: 'auto', label: 'auto', description: 'fastest that works: GPU → native → wasm → cpu' },
      { value: 'gpu', label: 'gpu', description: 'NVIDIA GPU via @tensorflow/tfjs-node-gpu (Set Up GPU Compute first)' },
      { value: 'node', label: 'node', description: 'native TensorFlow on the CPU via @tensorflow/tfjs-node' },
      { value: 'wasm', label: 'wasm', description: 'WebAssembly: works everywhere' },
      { value: 'cpu', label: 'cpu', description: 'plain JavaScript: slowest' },
    ];
    const items = options.map((i) => ({ ...i, picked: i.value === current, detail: i.value === current ? 'current setting' : undefined }));
    const pick = await vscode.window.showQuickPick(items, { title: 'Transformer Labs: compute backend', placeHolder: `now: ${current}` });
    if (!pick || pick.value === current) return;
    await vscode.workspace.getConfiguration(SECTION).update('compute.backend', pick.value, vscode.ConfigurationTarget.Global);
    // onDidChangeConfiguration restarts the sidecar.
  }

  async setupGpu(): Promise<void> {
    const storage = this.ctx.extension.globalStorageUri.fsPath;
    const runtime = await resolveNodeRuntime(readSettings().nodePath);
    const npm = findNpm(runtime.path);
    if (!npm) {
      void vscode.window.showErrorMessage(
        `Transformer Labs: ${explainGpuInstallFailure('npm: not found', null)}. Checks keep running on the current backend.`,
      );
      return;
    }
    this.ctx.output.show(true);
    this.ctx.output.info(`installing ${GPU_PACKAGE} into ${gpuModulesDir(storage)} with ${npm}`);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Transformer Labs: installing the GPU backend (${GPU_PACKAGE})`, cancellable: true },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        progress.report({ message: 'npm install downloads libtensorflow (several hundred MB); output is in the compute log' });
        return installGpuBackend(storage, npm, (line) => this.ctx.output.info(`[npm] ${line}`), ac.signal);
      },
    );
    if (!result.ok) {
      if (result.reason === 'cancelled') return;
      void vscode.window.showErrorMessage(
        `Transformer Labs: the GPU backend could not be installed: ${result.reason}. Checks keep running on the current backend.`,
        'Show Log',
      ).then((p) => p && this.ctx.output.show(true));
      return;
    }
    // "auto" and "gpu" both try the GPU first; any other choice is moved to "auto" so the
    // new backend is used, and the configuration listener must not restart a second time.
    if (!['auto', 'gpu'].includes(readSettings().backend)) {
      this.settingOwnChange = true;
      try {
        await vscode.workspace.getConfiguration(SECTION).update('compute.backend', 'auto', vscode.ConfigurationTarget.Global);
      } finally {
        this.settingOwnChange = false;
      }
    }
    await this.restart(true);
    const client = await this.existing?.catch(() => undefined);
    const info = client?.state.kind === 'ready' ? client.state.info.backend : undefined;
    if (info?.name === 'tensorflow-gpu') {
      void vscode.window.showInformationMessage('Transformer Labs: checks now run on the GPU.');
    } else {
      const why = info?.attempts.find((a) => a.backend === 'tensorflow-gpu')?.reason ?? 'the compute process did not start';
      void vscode.window.showWarningMessage(
        `Transformer Labs: the GPU backend is installed but did not load (${why}); checks run on ${info?.name ?? 'the previous backend'}.`,
        'Show Log',
      ).then((p) => p && this.ctx.output.show(true));
    }
  }

  dispose(): void {
    this.status.dispose();
    void this.stop();
  }
}
