// The pretrained encoder Lab 5 fine-tunes, read from media/models/encoder by the loader (which
// validates the files and names the bad one). Read once per process and cached; tensors are
// made by each caller in its own tf scope.
import { findEncoderDir, loadEncoder, type EncoderFile } from './loader';

let injected: EncoderFile | undefined;
let cached: EncoderFile | undefined;

/** Tests only: use this encoder instead of the shipped one (undefined restores the file). */
export function useEncoderForTests(file: EncoderFile | undefined): void {
  injected = file;
}

export function shippedEncoder(): EncoderFile {
  if (injected) return injected;
  cached ??= loadEncoder(findEncoderDir(__dirname));
  return cached;
}
