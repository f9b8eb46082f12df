// The sidecar as the extension sees it: started on first use, restarted after a crash (by
// the client), shown in the status bar with the backend actually in use.
import * as vscode from 'vscode';
import { SidecarClient, SidecarState } from '../../core/compute/sidecarClient';
import type { BackendInfo, BackendPreference } from '../../core/protocol/sidecar';
import type { LabsContext } from '../context';
import { readSettings, SECTION } from '../config';
import { gpuModulesDir, installGpuBackend, isGpuInstalled } from './gpuSetup';
import { resolveNodeRuntime } from './nodeRuntime';

const BACKEND_LABEL: Record<BackendInfo['name'], string> = {
  'tensorflow-gpu': 'GPU',
  tensorflow: 'TensorFlow CPU',
  wasm: 'wasm',
  cpu: 'cpu',
};

export class ComputeService implements vscode.Disposable {
  private client?: SidecarClient;
  private readonly status: vscode.StatusBarItem;
  private crashWarned = false;
  private runtimeDescription = '';

  constructor(private readonly ctx: LabsContext) {
    this.status = vscode.window.createStatusBarItem('transformerLabs.compute', vscode.StatusBarAlignment.Right, 100);
    this.status.name = 'Transformer Labs Compute';
    this.status.command = 'transformerLabs.selectBackend';
    this.status.text = '$(chip) compute: not started';
    this.status.tooltip = 'The compute process starts when a lab is checked.';
    ctx.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.compute`)) void this.restart();
      }),
    );
  }

  showStatus(): void {
    this.status.show();
  }

  /** The client, creating it (not yet starting the process) on first use. */
  get sidecar(): SidecarClient {
    if (!this.client) {
      const s = readSettings();
      const runtime = resolveNodeRuntime(s.nodePath);
      this.runtimeDescription = runtime.description;
      const storage = this.ctx.extension.globalStorageUri.fsPath;
      this.client = new SidecarClient({
        nodePath: runtime.path,
        env: runtime.env,
        sidecarScript: this.ctx.paths.sidecarScript,
        labsDist: this.ctx.paths.labsDist,
        backend: s.backend,
        gpuModulesDir: isGpuInstalled(storage) ? gpuModulesDir(storage) : undefined,
        log: (level, message) => this.ctx.output[level === 'warn' ? 'warn' : level](message),
      });
      this.ctx.push(this.client.onStateChange((st) => this.render(st)));
      this.showStatus();
    }
    return this.client;
  }

  private render(st: SidecarState): void {
    switch (st.kind) {
      case 'starting':
        this.status.text = '$(loading~spin) compute: starting';
        this.status.backgroundColor = undefined;
        break;
      case 'ready': {
        const b = st.info.backend;
        this.status.text = `$(chip) ${BACKEND_LABEL[b.name]}`;
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
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['transformerLabs.setupGpu', 'transformerLabs.selectBackend', 'transformerLabs.showComputeLog'] };
    md.appendMarkdown(`**Transformer Labs compute: ${BACKEND_LABEL[b.name]}**\n\n`);
    md.appendMarkdown(`TensorFlow.js ${b.tfjsVersion} on Node ${b.nodeVersion} — ${this.runtimeDescription}\n\n`);
    for (const a of b.attempts) {
      md.appendMarkdown(`- ${a.ok ? '$(check)' : '$(close)'} \`${a.backend}\`${a.reason ? `: ${a.reason}` : ' — in use'}\n`);
    }
    if (b.name !== 'tensorflow-gpu') {
      md.appendMarkdown(
        `\nWith an NVIDIA GPU (CUDA 11.2, cuDNN 8.1), [Set Up GPU Compute](command:transformerLabs.setupGpu) installs the GPU backend.`,
      );
    }
    md.appendMarkdown(`\n\n[Select Backend](command:transformerLabs.selectBackend) · [Show Compute Log](command:transformerLabs.showComputeLog)`);
    return md;
  }

  async restart(): Promise<void> {
    if (!this.client) return;
    const s = readSettings();
    const runtime = resolveNodeRuntime(s.nodePath);
    this.runtimeDescription = runtime.description;
    const storage = this.ctx.extension.globalStorageUri.fsPath;
    try {
      await this.client.restart({
        backend: s.backend,
        nodePath: runtime.path,
        env: runtime.env,
        gpuModulesDir: isGpuInstalled(storage) ? gpuModulesDir(storage) : undefined,
      });
    } catch (err) {
      this.ctx.output.error(`restart failed: ${(err as Error).message}`);
      void vscode.window.showErrorMessage(`Transformer Labs: the compute process did not start: ${(err as Error).message}`);
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
    this.ctx.output.show(true);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Transformer Labs: installing the GPU backend (@tensorflow/tfjs-node-gpu)', cancellable: true },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        progress.report({ message: 'npm install — this downloads about 400 MB' });
        return installGpuBackend(storage, (line) => this.ctx.output.info(`[npm] ${line}`), ac.signal);
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
    await vscode.workspace.getConfiguration(SECTION).update('compute.backend', 'gpu', vscode.ConfigurationTarget.Global);
    await this.restart();
    const info = this.client?.state.kind === 'ready' ? this.client.state.info.backend : undefined;
    if (info?.name === 'tensorflow-gpu') void vscode.window.showInformationMessage('Transformer Labs: checks now run on the GPU.');
    else {
      const why = info?.attempts.find((a) => a.backend === 'tensorflow-gpu')?.reason ?? 'unknown';
      await vscode.workspace.getConfiguration(SECTION).update('compute.backend', 'auto', vscode.ConfigurationTarget.Global);
      void vscode.window.showWarningMessage(`Transformer Labs: the GPU backend is installed but did not load (${why}); back on "auto".`);
    }
  }

  dispose(): void {
    this.status.dispose();
    void this.client?.dispose();
  }
}
