#!/usr/bin/env python3
"""Independent NumPy (float64) forward pass of the shipped mini GPT, for the unit tests.

Reads media/models/mini-gpt/{model.json, weights.bin} directly and writes
test/unit/miniGpt/fixtures/minigpt_numpy.json: logits and the attention weights of a short
text, with the sha256 of the weights they were computed from (the test refuses a stale
fixture). Run from the repository root after every retraining:
    python3 scripts/train/minigpt_numpy.py
Nothing here is shared with the TypeScript model: the forward pass is Lab 6's NumPy one
(scripts/fixtures/lab06_numpy.py: pre-LN GPT-2 block, GELU tanh approximation, LayerNorm eps
1e-5, causal softmax attention, lm_head tied to wte).
"""
import hashlib
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'fixtures'))
from lab06_numpy import gpt_logits, read_mini_gpt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, 'media', 'models', 'mini-gpt')
OUT = os.path.join(ROOT, 'test', 'unit', 'miniGpt', 'fixtures', 'minigpt_numpy.json')
TEXT = 'Call me Ishmael. Some years ago, the whale'


def main():
    meta, w, raw = read_mini_gpt(MODEL)
    ids = [meta['vocab'].index(ch) for ch in TEXT]
    T = len(ids)
    attention = []
    logits = gpt_logits(w, meta['config'], ids, attention)
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
