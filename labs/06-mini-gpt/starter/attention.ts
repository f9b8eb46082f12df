// Lab 6 uses your Lab 1 attention inside the mini-GPT.
// No Lab 1 work was found beside this lab, so this file is the course's reference Lab 1
// attention. To use your own, copy your Lab 1 attention.ts over this file (same exports:
// causalMask, paddingMask, attention, splitHeads, combineHeads, multiHeadAttention).
import { referenceAttention } from '@transformer-labs/helpers';

export const { causalMask, paddingMask, attention, splitHeads, combineHeads, multiHeadAttention } = referenceAttention;
