#!/usr/bin/env python3
"""Independent NumPy (float64) forward pass of the shipped mini GPT, for the unit tests.

Reads media/models/mini-gpt/{model.json, weights.bin} directly and writes
test/unit/miniGpt/fixtures/minigpt_numpy.json: logits and the attention weights of a short
text, with the sha256 of the weights they were computed from (the test refuses a stale
fixture). Run from the repository root after every retraining:
    python3 scripts/train/minigpt_numpy.py
Nothing here is shared with the TypeScript model: pre-LN GPT-2 block, GELU tanh
approximation, LayerNorm eps 1e-5, causal softmax attention, lm_head tied to wte.
"""
import hashlib
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, 'media', 'models', 'mini-gpt')
OUT = os.path.join(ROOT, 'test', 'unit', 'miniGpt', 'fixtures', 'minigpt_numpy.json')
TEXT = 'Call me Ishmael. Some years ago, the whale'


def main():
    meta = json.load(open(os.path.join(MODEL, 'model.json'), encoding='utf-8'))
    raw = open(os.path.join(MODEL, 'weights.bin'), 'rb').read()
    w = {}
    for t in meta['tensors']:
        a = np.frombuffer(raw, dtype='<f4', count=t['length'] // 4, offset=t['offset'])
        w[t['name']] = a.reshape(t['shape']).astype(np.float64)
    cfg = meta['config']
    C, H = cfg['nEmbd'], cfg['nHead']
    hd = C // H
    ids = [meta['vocab'].index(ch) for ch in TEXT]
    T = len(ids)

    def ln(x, g, b):
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + 1e-5) * g + b

    def gelu(x):
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))

    x = w['wte'][ids] + w['wpe'][:T]
    causal = np.tril(np.ones((T, T), dtype=bool))
    attention = []
    for i in range(cfg['nLayer']):
        p = f'h.{i}.'
        h = ln(x, w[p + 'ln_1.weight'], w[p + 'ln_1.bias'])
        qkv = h @ w[p + 'attn.c_attn.weight'] + w[p + 'attn.c_attn.bias']
        q, k, v = (qkv[:, j * C:(j + 1) * C].reshape(T, H, hd).transpose(1, 0, 2) for j in range(3))
        s = q @ k.transpose(0, 2, 1) / np.sqrt(hd)
        s = np.where(causal, s, -np.inf)
        a = np.exp(s - s.max(-1, keepdims=True))
        a = a / a.sum(-1, keepdims=True)
        attention.append(a)
        y = (a @ v).transpose(1, 0, 2).reshape(T, C)
        x = x + y @ w[p + 'attn.c_proj.weight'] + w[p + 'attn.c_proj.bias']
        h = ln(x, w[p + 'ln_2.weight'], w[p + 'ln_2.bias'])
        x = x + gelu(h @ w[p + 'mlp.c_fc.weight'] + w[p + 'mlp.c_fc.bias']) @ w[p + 'mlp.c_proj.weight'] + w[p + 'mlp.c_proj.bias']
    logits = ln(x, w['ln_f.weight'], w['ln_f.bias']) @ w['wte'].T
    logp = logits - logits.max(-1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(-1, keepdims=True))
    loss = -np.mean([logp[t, ids[t + 1]] for t in range(T - 1)])
    out = {
        'text': TEXT,
        'weightsSha256': hashlib.sha256(raw).hexdigest(),
        'logits': np.round(logits, 6).tolist(),
        'lastLayerAttention': np.round(attention[-1], 7).tolist(),
        'loss': round(float(loss), 6),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump(out, f)
    print(f'wrote {OUT}: {T} positions, loss {loss:.4f} nats/char')


if __name__ == '__main__':
    main()
