import assert from 'node:assert/strict';
import type { BackendInfo } from '../../../core/protocol/sidecar';
import { backendHoverMarkdown, backendStatusText } from '../../../src/compute/backendHover';

const wasm: BackendInfo = {
  name: 'wasm',
  tfjsVersion: '4.22.0',
  nodeVersion: '20.20.2',
  attempts: [
    { backend: 'tensorflow-gpu', ok: false, reason: '@tensorflow/tfjs-node-gpu is not installed' },
    { backend: 'tensorflow', ok: false, reason: '@tensorflow/tfjs-node is not installed' },
    { backend: 'wasm', ok: true },
  ],
};

describe('compute status', () => {
  it('names the backend in use in the status bar', () => {
    assert.equal(backendStatusText('wasm'), '$(chip) wasm');
    assert.equal(backendStatusText('tensorflow-gpu'), '$(chip) GPU');
  });

  it('lists every attempt with its reason and offers the GPU setup when not on the GPU', () => {
    const md = backendHoverMarkdown(wasm, 'node on PATH (Node 20)');
    assert.match(md, /\*\*Transformer Labs compute: wasm\*\*/);
    assert.match(md, /TensorFlow\.js 4\.22\.0 on Node 20\.20\.2 — node on PATH \(Node 20\)/);
    assert.match(md, /\$\(close\) `tensorflow-gpu`: @tensorflow\/tfjs-node-gpu is not installed/);
    assert.match(md, /\$\(check\) `wasm` — in use/);
    assert.match(md, /\[Set Up GPU Compute\]\(command:transformerLabs\.setupGpu\)/);
    assert.match(md, /CUDA 11\.2, cuDNN 8\.1/);
    assert.match(md, /installs WebGPU \(Dawn: any GPU with a Vulkan, Metal or Direct3D 12 driver\)/);
  });

  const llvmpipe = { vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: 'llvmpipe: Mesa 25.0.7', software: true };
  const rtx = { vendor: 'nvidia', architecture: 'ada-lovelace', device: '', description: 'NVIDIA GeForce RTX 4070', software: false };

  it('names the WebGPU adapter, software or hardware, in the status bar and the hover', () => {
    assert.equal(backendStatusText('webgpu', llvmpipe), '$(chip) WebGPU (mesa, software)');
    assert.equal(backendStatusText('webgpu', rtx), '$(chip) WebGPU (nvidia, hardware)');
    const md = backendHoverMarkdown({ ...wasm, name: 'webgpu', adapter: rtx, attempts: [{ backend: 'webgpu', ok: true }], permissionModel: false }, 'x');
    assert.match(md, /WebGPU adapter: NVIDIA GeForce RTX 4070, ada-lovelace, hardware\n/);
    assert.doesNotMatch(md, /setupGpu/, 'on a hardware adapter there is nothing to set up');
    const soft = backendHoverMarkdown({ ...wasm, name: 'webgpu', adapter: llvmpipe, attempts: [{ backend: 'webgpu', ok: true }] }, 'x');
    assert.match(soft, /setupGpu/, 'a software adapter is no GPU');
  });

  it('marks an adapter that was probed but not used, and lists the backends never tried', () => {
    const md = backendHoverMarkdown({ ...wasm, adapter: llvmpipe, order: ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] }, 'x');
    assert.match(md, /WebGPU adapter: mesa llvmpipe: Mesa 25\.0\.7, software \(not used\)/);
    assert.match(md, /not tried \(`wasm` came first\): `cpu`/);
    const early = backendHoverMarkdown({ ...wasm, name: 'tensorflow', attempts: [{ backend: 'tensorflow', ok: true }], order: ['tensorflow', 'wasm', 'cpu'] }, 'x');
    assert.match(early, /\n- not tried \(`tensorflow` came first\): `wasm`, `cpu`\n/);
  });

  it('says whether the permission model is on, and why it is off', () => {
    assert.match(backendHoverMarkdown({ ...wasm, permissionModel: true }, 'x'), /permission model is on: learner code cannot write files or start processes/);
    assert.match(backendHoverMarkdown({ ...wasm, name: 'webgpu', permissionModel: false }, 'x'), /permission model is off: `webgpu` loads a native addon/);
    assert.match(backendHoverMarkdown({ ...wasm, permissionModel: false }, 'x'), /permission model is off: a native backend may load here/);
    assert.doesNotMatch(backendHoverMarkdown(wasm, 'x'), /permission model/, 'an older sidecar that does not say: nothing claimed');
  });

  it('labels every backend in the status bar; only WebGPU names its adapter', () => {
    const labels = (['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const).map((b) => backendStatusText(b));
    assert.deepEqual(labels, ['$(chip) GPU', '$(chip) WebGPU', '$(chip) TensorFlow CPU', '$(chip) wasm', '$(chip) cpu']);
    assert.equal(backendStatusText('wasm', llvmpipe), '$(chip) wasm', 'an adapter probed but not used stays out of the status bar');
    assert.equal(backendStatusText('webgpu', { ...rtx, vendor: '' }), '$(chip) WebGPU (unknown vendor, hardware)');
  });

  it('calls each native backend by name when it turns the permission model off', () => {
    for (const name of ['tensorflow-gpu', 'webgpu', 'tensorflow'] as const) {
      assert.match(backendHoverMarkdown({ ...wasm, name, permissionModel: false }, 'x'), new RegExp(`permission model is off: \`${name}\` loads a native addon, which the permission model refuses\.`));
    }
    assert.match(backendHoverMarkdown({ ...wasm, name: 'cpu', permissionModel: false }, 'x'), /permission model is off: a native backend may load here \(one was installed by Set Up GPU Compute or chosen\), or the runtime has no permission model \(VS Code's own\)\./);
  });

  // Markdown needs the blank lines: without one, the attempts list runs into the paragraph above
  // it and the command links into the list.
  it('lays the hover out in paragraphs: title, runtime, adapter, attempts, permission, setup, commands', () => {
    const md = backendHoverMarkdown({ ...wasm, adapter: llvmpipe, order: ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'], permissionModel: true }, 'node on PATH (Node 20)');
    assert.equal(
      md,
      [
        '**Transformer Labs compute: wasm**',
        '',
        'TensorFlow.js 4.22.0 on Node 20.20.2 — node on PATH (Node 20)',
        '',
        'WebGPU adapter: mesa llvmpipe: Mesa 25.0.7, software (not used)',
        '',
        '- $(close) `tensorflow-gpu`: @tensorflow/tfjs-node-gpu is not installed',
        '- $(close) `tensorflow`: @tensorflow/tfjs-node is not installed',
        '- $(check) `wasm` — in use',
        '- not tried (`wasm` came first): `cpu`',
        '',
        "$(shield) Node's permission model is on: learner code cannot write files or start processes.",
        '',
        '[Set Up GPU Compute](command:transformerLabs.setupGpu) installs WebGPU (Dawn: any GPU with a Vulkan, Metal or Direct3D 12 driver), or the NVIDIA route (CUDA 11.2, cuDNN 8.1).',
        '',
        '[Select Backend](command:transformerLabs.selectBackend) · [Show Compute Log](command:transformerLabs.showComputeLog)',
      ].join('\n'),
    );
    const noOrder = backendHoverMarkdown({ ...wasm, attempts: [...wasm.attempts, { backend: 'cpu', ok: false }] }, 'x');
    assert.match(noOrder, /- \$\(close\) `cpu`: not available\n\n\[Set Up GPU Compute\]/, 'every backend tried: no "not tried" line, no permission line from an older sidecar');
  });

  it('does not offer the GPU setup when the GPU is in use', () => {
    const md = backendHoverMarkdown({ ...wasm, name: 'tensorflow-gpu', attempts: [{ backend: 'tensorflow-gpu', ok: true }] }, 'x');
    assert.doesNotMatch(md, /setupGpu/);
  });
});

describe('compute status: what contains lab code', () => {
  const contained: BackendInfo['containment'] = {
    permissionModel: { on: true, readPaths: ['/ext/dist'] },
    os: { networkIsolated: true, processesIsolated: true, how: 'new network and PID namespaces (unshare): no network, no other process visible' },
  };

  it('lists every layer that holds on the wasm backend', () => {
    const md = backendHoverMarkdown({ ...wasm, containment: contained }, 'x');
    assert.match(md, /`wasm` — in use\n\n\*\*What contains your lab code\*\*\n\n- \$\(check\) /, 'a paragraph of its own, a heading, then the list');
    assert.doesNotMatch(backendHoverMarkdown({ ...wasm, containment: contained, permissionModel: true }, 'x'), /permission model is on/, 'the containment list replaces the permission line');
    assert.match(md, /\$\(check\) Node's permission model: it reads only the extension's own files/);
    assert.match(md, /\$\(check\) new network and PID namespaces/);
    assert.match(md, /\$\(check\) an empty environment/);
    assert.doesNotMatch(md, /\$\(warning\)/);
  });

  it('says plainly what is left open when a native backend turns the permission model off', () => {
    const md = backendHoverMarkdown(
      {
        ...wasm,
        name: 'tensorflow-gpu',
        containment: {
          ...contained,
          permissionModel: { on: false, readPaths: [], reason: 'a native TensorFlow.js backend (tfjs-node, tfjs-node-gpu) may load: its addon runs outside Node\'s permission model' },
        },
      },
      'x',
    );
    assert.match(md, /\$\(warning\) Node's permission model is off: a native TensorFlow\.js backend .* could read and write files and start programs as you/);
    assert.match(md, /\$\(check\) new network and PID namespaces/);
  });

  it('says when there is no network layer (macOS, Windows, restricted Linux)', () => {
    const md = backendHoverMarkdown(
      { ...wasm, containment: { ...contained, os: { networkIsolated: false, processesIsolated: false, how: 'no OS network layer on macOS: only the JavaScript layer refuses the network' } } },
      'x',
    );
    assert.match(md, /\$\(warning\) no OS network layer on macOS/);
  });
});
