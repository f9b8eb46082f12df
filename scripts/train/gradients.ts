// Training uses the same gradient registration as the sidecar (sidecar/backend/tfjsExtras.ts).
import * as tf from '@tensorflow/tfjs-core';
import { registerTfjsExtras } from '../../sidecar/backend/tfjsExtras';

export function registerTfjsGradients(): void {
  registerTfjsExtras(tf);
}
