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
