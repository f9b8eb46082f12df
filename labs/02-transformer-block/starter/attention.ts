// attention.ts — multi-head attention from Lab 1.
//
// This is the COURSE'S REFERENCE, put here because no Lab 1 work was found when this lab was
// opened. Your block.ts imports causalMask, attention, splitHeads, combineHeads and
// multiHeadAttention from this file, so the blocks run either way.
//
// To use your own Lab 1 code instead: open your Lab 1 attention.ts, copy everything, and paste
// it over this whole file. It must export the same six functions with the same signatures
// (masks are 1 = may attend, 0 = blocked; multiHeadAttention(x, {wq, wk, wv, wo}, heads, mask?)
// returns {output, weights}). The block panel says which of the two it is running.
import { referenceAttention } from '@transformer-labs/helpers';

export const { causalMask, paddingMask, attention, splitHeads, combineHeads, multiHeadAttention } = referenceAttention;
