// A real sidecar (tsc output) for tests, with the labs compiled beside it.
import { join } from 'node:path';
import { findBuildPaths } from '../../core/compute/paths';
import { SidecarClient, SidecarClientOptions } from '../../core/compute/sidecarClient';

/** The compiled fixture labs (test/fixtures/labs/<id>/checks.ts). */
export const FIXTURE_LABS = join(__dirname, '..', 'fixtures', 'labs');

export function testSidecar(overrides: Partial<SidecarClientOptions> = {}): SidecarClient {
  const paths = findBuildPaths(__dirname);
  return new SidecarClient({
    nodePath: process.execPath,
    sidecarScript: paths.sidecarScript,
    labsDist: paths.labsDist,
    // The sidecar contains the check process as in the product (sidecar/runner/containment.ts).
    backend: 'wasm',
    ...overrides,
  });
}
