// The sidecar as the extension sees it: started on first use, restarted after a crash (by
// the client), shown in the status bar with the backend actually in use.
import * as vscode from 'vscode';
import { reportError } from '../reportError';
import { SidecarClient, SidecarState } from '../../core/compute/sidecarClient';
import type { BackendInfo, BackendPreference } from '../../core/protocol/sidecar';
import { backendHoverMarkdown, backendStatusText } from './backendHover';
import type { LabsContext } from '../context';
import { readSettings, SECTION } from '../config';
import { explainGpuInstallFailure, findNpm, GPU_PACKAGE, gpuModulesDir, GpuRoute, installGpuBackend, isGpuInstalled, isRouteInstalled, WEBGPU_PACKAGE } from './gpuSetup';
import { runGpuProbe, webgpuBesideSidecar } from '../../core/compute/runGpuProbe';
import { describeProbe } from '../../core/compute/gpuProbeResult';
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
    this.status.text = vscode.l10n.t('$(chip) compute: not started');
    this.status.tooltip = vscode.l10n.t('The compute process starts when a lab is checked.');
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
        this.status.text = vscode.l10n.t('$(loading~spin) compute: starting');
        this.status.backgroundColor = undefined;
        break;
      case 'ready': {
        const b = st.info.backend;
        this.status.text = backendStatusText(b.name, b.adapter);
        this.status.backgroundColor = undefined;
        this.status.tooltip = this.hover(b);
        this.crashWarned = false;
        break;
      }
      case 'crashed':
        this.status.text = vscode.l10n.t('$(warning) compute: restarting');
        this.status.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        if (!this.crashWarned) {
          this.crashWarned = true;
          void vscode.window
            .showWarningMessage(vscode.l10n.t('Transformer Labs: the compute process {0}; it restarts on the next check.', st.message), 'Show Log')
            .then((pick) => pick && this.ctx.output.show(true));
        }
        break;
      case 'stopped':
        this.status.text = vscode.l10n.t('$(chip) compute: stopped');
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
      reportError(this.ctx.output, `the compute process did not start: ${(err as Error).message}`, err);
    }
  }

  async selectBackend(): Promise<void> {
    const current = readSettings().backend;
    const options: { value: BackendPreference; label: string; description: string }[] = [
      { value: 'auto', label: 'auto', description: vscode.l10n.t('fastest that works: CUDA GPU → WebGPU (hardware) → native → wasm → cpu') },
      { value: 'gpu', label: 'gpu', description: vscode.l10n.t('a GPU: NVIDIA CUDA via tfjs-node-gpu, else WebGPU on a hardware adapter (Set Up GPU Compute first)') },
      { value: 'webgpu', label: 'webgpu', description: vscode.l10n.t('WebGPU (Dawn) on any adapter, software ones too (slow: for testing)') },
      { value: 'node', label: 'node', description: vscode.l10n.t('native TensorFlow on the CPU via @tensorflow/tfjs-node') },
      { value: 'wasm', label: 'wasm', description: vscode.l10n.t('WebAssembly: works everywhere') },
      { value: 'cpu', label: 'cpu', description: vscode.l10n.t('plain JavaScript: slowest') },
    ];
    const items = options.map((i) => ({ ...i, picked: i.value === current, detail: i.value === current ? vscode.l10n.t('current setting') : undefined }));
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Transformer Labs: compute backend'), placeHolder: vscode.l10n.t('now: {0}', current) });
    if (!pick || pick.value === current) return;
    await vscode.workspace.getConfiguration(SECTION).update('compute.backend', pick.value, vscode.ConfigurationTarget.Global);
    // onDidChangeConfiguration restarts the sidecar.
  }

  async setupGpu(): Promise<void> {
    const routes: { route: GpuRoute; label: string; description: string; detail: string }[] = [
      {
        route: 'webgpu',
        label: vscode.l10n.t('WebGPU (Dawn)'),
        description: vscode.l10n.t('recommended'),
        detail: vscode.l10n.t('Any GPU with a Vulkan, Metal or Direct3D 12 driver. Installs {0} from the npm registry (about 140 MB), then tests it.', WEBGPU_PACKAGE),
      },
      {
        route: 'tensorflow-gpu',
        label: vscode.l10n.t('NVIDIA CUDA (tfjs-node-gpu)'),
        description: vscode.l10n.t('CUDA 11.2 + cuDNN 8.1 only'),
        detail: vscode.l10n.t('Installs {0}, which downloads libtensorflow from Google storage; CUDA 12 is not supported.', GPU_PACKAGE),
      },
    ];
    const pick = await vscode.window.showQuickPick(routes, { title: vscode.l10n.t('Transformer Labs: Set Up GPU Compute'), placeHolder: vscode.l10n.t('Which GPU route?') });
    if (!pick) return;
    if (pick.route === 'webgpu') return this.setupWebGpu();
    return this.setupTfjsNodeGpu();
  }

  /** npm-installs a route into global storage, with progress and cancel; false when it did not. */
  private async installRoute(route: GpuRoute, spec: string, note: string): Promise<boolean> {
    const storage = this.ctx.extension.globalStorageUri.fsPath;
    const runtime = await resolveNodeRuntime(readSettings().nodePath);
    const npm = findNpm(runtime.path);
    if (!npm) {
      reportError(this.ctx.output, vscode.l10n.t('{0}. Checks keep running on the current backend.', explainGpuInstallFailure('npm: not found', null, route)));
      return false;
    }
    this.ctx.output.info(`installing ${spec} into ${gpuModulesDir(storage)} with ${npm}`);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Transformer Labs: installing {0}', spec), cancellable: true },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        progress.report({ message: note });
        return installGpuBackend(
          storage,
          npm,
          (line) => {
            this.ctx.output.info(`[npm] ${line}`);
            progress.report({ message: line.slice(0, 120) });
          },
          ac.signal,
          route,
        );
      },
    );
    if (result.ok) return true;
    if (result.reason !== 'cancelled') {
      reportError(this.ctx.output, vscode.l10n.t('{0} could not be installed: {1}. Checks keep running on the current backend.', spec, result.reason ?? vscode.l10n.t('no reason given')));
    }
    return false;
  }

  /** Moves "wasm"/"cpu"/"node" to "auto" so a newly working GPU route is used (without a second restart). */
  private async preferAuto(): Promise<void> {
    if (['auto', 'gpu', 'webgpu'].includes(readSettings().backend)) return;
    this.settingOwnChange = true;
    try {
      await vscode.workspace.getConfiguration(SECTION).update('compute.backend', 'auto', vscode.ConfigurationTarget.Global);
    } finally {
      this.settingOwnChange = false;
    }
  }

  private async setupWebGpu(): Promise<void> {
    const storage = this.ctx.extension.globalStorageUri.fsPath;
    const sidecarScript = this.ctx.paths.sidecarScript;
    const bundled = webgpuBesideSidecar(sidecarScript);
    if (!bundled && !isRouteInstalled(storage, 'webgpu')) {
      const ok = await this.installRoute('webgpu', WEBGPU_PACKAGE, vscode.l10n.t('from the npm registry; Dawn is prebuilt, nothing is compiled'));
      if (!ok) return;
    }
    const runtime = await resolveNodeRuntime(readSettings().nodePath);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Transformer Labs: testing WebGPU'), cancellable: true },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        progress.report({ message: vscode.l10n.t('asking Dawn for an adapter and comparing a matMul with the cpu backend') });
        return runGpuProbe({
          nodePath: runtime.path,
          env: runtime.env,
          sidecarScript,
          modulesDir: isRouteInstalled(storage, 'webgpu') ? gpuModulesDir(storage) : undefined,
          signal: ac.signal,
        });
      },
    );
    if (!result.ok && result.reason === 'cancelled') return;
    this.ctx.output.info(`WebGPU probe: ${JSON.stringify(result)}`);
    const { works, message, autoUsesIt } = describeProbe(result);
    const show = works ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(vscode.l10n.t('Transformer Labs: {0}.', message), 'Show Log').then((p) => p && this.ctx.output.show(true));
    if (!autoUsesIt) return;
    // The sidecar decides at start whether auto takes WebGPU (its own probe): restart it on auto.
    await this.preferAuto();
    await this.restart(true);
    const client = await this.existing?.catch(() => undefined);
    const info = client?.state.kind === 'ready' ? client.state.info.backend : undefined;
    if (info && info.name !== 'webgpu' && readSettings().backend === 'auto') {
      const why = info.attempts.find((a) => a.backend === 'webgpu')?.reason ?? vscode.l10n.t('the compute process did not start');
      void vscode.window.showWarningMessage(vscode.l10n.t('Transformer Labs: WebGPU passed the test but did not load for the checks ({0}); they run on {1}.', why, info.name), 'Show Log').then((p) => p && this.ctx.output.show(true));
    }
  }

  private async setupTfjsNodeGpu(): Promise<void> {
    this.ctx.output.show(true);
    const ok = await this.installRoute('tensorflow-gpu', GPU_PACKAGE, vscode.l10n.t('npm install downloads libtensorflow (several hundred MB); output is in the compute log'));
    if (!ok) return;
    await this.preferAuto();
    await this.restart(true);
    const client = await this.existing?.catch(() => undefined);
    const info = client?.state.kind === 'ready' ? client.state.info.backend : undefined;
    if (info?.name === 'tensorflow-gpu') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: checks now run on the GPU.'));
    } else {
      const why = info?.attempts.find((a) => a.backend === 'tensorflow-gpu')?.reason ?? 'the compute process did not start';
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Transformer Labs: the GPU backend is installed but did not load ({0}); checks run on {1}.', why, info?.name ?? 'the previous backend'),
        'Show Log',
      ).then((p) => p && this.ctx.output.show(true));
    }
  }

  dispose(): void {
    this.status.dispose();
    void this.stop();
  }
}
