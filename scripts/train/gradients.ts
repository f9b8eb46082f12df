// Training uses the same gradient registration as the sidecar (sidecar/backend/gradients.ts).
import * as tf from '@tensorflow/tfjs-core';
import { registerGradients } from '../../sidecar/backend/gradients';

export function registerTfjsGradients(): void {
  registerGradients(tf);
}
