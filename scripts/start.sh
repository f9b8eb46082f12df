#!/usr/bin/env bash
# Runs the product: builds the .vsix, installs it into code-server (VS Code 1.100 in the
# browser) with a fresh profile, and serves an empty learner folder on 127.0.0.1.
# Open the printed address, then run "Transformer Labs: Open Lab…" from the command palette.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
port=${PORT:-8080}
run="$root/.cache/run"

bash scripts/ensure-deps.sh
npm run package
bash scripts/provision-code-server.sh
entry="$root/.cache/code-server/node_modules/code-server/out/node/entry.js"

rm -rf "$run/user-data" "$run/extensions"
mkdir -p "$run/user-data/User" "$run/extensions" "$run/home" "$run/tmp" "$run/workspace"
cat > "$run/user-data/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off" }
JSON
export HOME="$run/home" TMPDIR="$run/tmp" XDG_CONFIG_HOME="$run/home/.config" XDG_DATA_HOME="$run/home/.local/share"
node "$entry" --extensions-dir "$run/extensions" --user-data-dir "$run/user-data" \
  --install-extension "$root/transformer-labs.vsix" >/dev/null
echo "Transformer Labs: open http://127.0.0.1:$port/ (Ctrl+C stops)"
exec node "$entry" --auth none --bind-addr "127.0.0.1:$port" --user-data-dir "$run/user-data" \
  --extensions-dir "$run/extensions" --disable-telemetry --disable-update-check "$run/workspace"
