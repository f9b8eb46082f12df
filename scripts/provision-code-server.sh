#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100, runs on Node 20) into .cache/code-server, and the
# Debian packages it and the end-to-end tests need. Reuses what is already there. Works offline
# from the npm registry and Debian's mirror only (see shared/notes/environment-facts.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.cache/code-server"
entry="$dir/node_modules/code-server/out/node/entry.js"
version=4.100.3

need_apt=()
command -v rg >/dev/null || need_apt+=(ripgrep)
command -v chromium >/dev/null || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "provision: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f "$entry" ] && grep -q "\"version\": \"$version\"" "$dir/node_modules/code-server/package.json"; then
  echo "provision: code-server $version already in $dir"
  exit 0
fi

# @vscode/ripgrep would download rg from GitHub; it accepts a cached archive instead.
tmp=${TMPDIR:-/tmp}
cache="$tmp/vscode-ripgrep-cache-1.15.11"
mkdir -p "$cache"
tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$tarball" ]; then
  stage=$(mktemp -d)
  cp "$(command -v rg)" "$stage/rg"
  tar -czf "$tarball" -C "$stage" rg
  rm -rf "$stage"
fi

mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{"name":"code-server-cache","private":true}' > "$dir/package.json"
echo "provision: installing code-server $version (about 75 s)"
start=$(date +%s)
npm_config_unsafe_perm=true npm_config_yes=true npm install --prefix "$dir" --save-exact --no-audit --no-fund \
  "code-server@$version" >"$dir/install.log" 2>&1 || { tail -40 "$dir/install.log"; exit 1; }
echo "provision: code-server installed in $(( $(date +%s) - start )) s"
[ -f "$entry" ] || { echo "provision: $entry missing after install"; exit 1; }
