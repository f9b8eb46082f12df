// The environment the compute sidecar starts with. The editor's and the shell's environment
// holds tokens and credentials (GITHUB_TOKEN, AWS_*, SSH_AUTH_SOCK, proxies…); the sidecar
// needs none of them. Kept: what finds programs and libraries (PATH, for unshare; CUDA and
// TensorFlow's variables and the library path, for a native GPU backend) and what Windows
// needs to run a process at all. The check process that runs learner code gets even less
// (sidecar/runner/containment.ts).
const KEEP = /^(PATH|Path|SystemRoot|SYSTEMROOT|windir|SystemDrive|TEMP|TMP|TMPDIR|LD_LIBRARY_PATH|CUDA_.*|TF_.*)$/;

export function sidecarEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (KEEP.test(k) && v !== undefined) out[k] = v;
  return out;
}
