// attention.ts — multi-head attention from Lab 1.
//
// This is the COURSE'S REFERENCE: your Lab 1 folder was not found, or the Lab 1 functions this
// lab uses do not pass Lab 1's checks yet (Open Lab said which). Your block.ts imports
// causalMask, attention, splitHeads, combineHeads and multiHeadAttention from this file, so the
// blocks run either way.
//
// To use your own Lab 1 code: the CodeLens above, or "Transformer Labs: Switch Between My Lab 1
// Code and the Reference" (it backs this file up first, and switches back the same way). It must
// export the same six functions with the same signatures (masks are 1 = may attend, 0 = blocked;
// multiHeadAttention(x, {wq, wk, wv, wo}, heads, mask?) returns {output, weights}). The block
// panel says which of the two it is running.
import { referenceAttention } from '@transformer-labs/helpers';

export const { causalMask, paddingMask, attention, splitHeads, combineHeads, multiHeadAttention } = referenceAttention;
