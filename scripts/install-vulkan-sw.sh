#!/usr/bin/env bash
# Installs a software Vulkan driver (Mesa's lavapipe, "llvmpipe" to Dawn) and the Vulkan loader,
# so the webgpu backend runs without a GPU (CI, the webgpu test suite). Bookworm's own
# mesa-vulkan-drivers 22.3 lacks a feature Dawn requires (no adapter), so both packages come
# from bookworm-backports (25.x), on the same Debian mirror.
# Idempotent: does nothing when a new enough driver is present.
# Exit codes: 0 installed or already present; 3 cannot install here (not root, not Debian
# bookworm, no apt-get) — the message says why; anything else: the install failed.
set -euo pipefail

min_major=24
have_version=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
have_loader=$(dpkg-query -W -f='${Status}' libvulkan1 2>/dev/null || true)
if [ -n "$have_version" ] && [ "${have_version%%.*}" -ge "$min_major" ] 2>/dev/null && [[ "$have_loader" == *"ok installed"* ]]; then
  echo "vulkan-sw: mesa-vulkan-drivers $have_version and libvulkan1 already installed"
  exit 0
fi

cannot() { echo "vulkan-sw: cannot install the software Vulkan driver here: $*"; exit 3; }
command -v apt-get >/dev/null || cannot "apt-get not found (install mesa-vulkan-drivers >= $min_major and libvulkan1 with your package manager)"
[ "$(id -u)" = 0 ] || cannot "not root (run: sudo bash scripts/install-vulkan-sw.sh)"
codename=$( . /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
[ "$codename" = bookworm ] || cannot "this script knows Debian bookworm only, this is '${codename:-unknown}' (install mesa-vulkan-drivers >= $min_major and libvulkan1)"

list=/etc/apt/sources.list.d/bookworm-backports.sources
if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "vulkan-sw: adding bookworm-backports to $list"
  cat > "$list" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
fi

export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
echo "vulkan-sw: apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1"
apt-get update -qq
apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
echo "vulkan-sw: installed mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) in $(( $(date +%s) - start )) s"
