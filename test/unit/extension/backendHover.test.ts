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
