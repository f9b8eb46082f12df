#!/usr/bin/env bash
# The webgpu suite: every lab's checks and views on tfjs-backend-webgpu over Dawn, on whatever
# adapter Dawn finds — in CI, Mesa's software Vulkan driver (llvmpipe), installed here first.
# Without a way to install it (not root, not Debian bookworm) the suite is skipped with the
# reason, unless TL_REQUIRE_WEBGPU=1 (set by .ci/run), where that is a failure.
# Needs the build (`npm run package` or `npm run build`): it drives the packaged sidecar in dist/.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-vulkan-sw.sh
rc=$?
if [ "$rc" -eq 3 ]; then
  if [ "${TL_REQUIRE_WEBGPU:-}" = 1 ]; then
    echo "test:webgpu: FAILED: TL_REQUIRE_WEBGPU=1 but the software Vulkan driver cannot be installed (above)"
    exit 1
  fi
  echo "test:webgpu: SKIPPED: no software Vulkan driver and no way to install it here (see above)"
  exit 0
elif [ "$rc" -ne 0 ]; then
  echo "test:webgpu: FAILED: installing the software Vulkan driver failed (exit $rc)"
  exit "$rc"
fi
[ -f dist/sidecar/main.js ] && [ -f out/test/webgpu/labs.webgpu.js ] || { echo "test:webgpu: building first"; npm run build >/dev/null || exit 1; }
# Mesa's Vulkan driver warns on stderr without a runtime dir.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
exec npx mocha --config .mocharc.webgpu.json "$@"
