#!/usr/bin/env bash
# Playground: a real n8n editor on http://localhost:5678 with this package installed, talking to the
# fake RingCentral (seeded with 300 extensions and 6 templates on http://127.0.0.1:5680).
#
#   scripts/e2e/playground.sh                     # build, start, print the URL and a login; Ctrl-C stops
#   PLAYGROUND_FRESH=1 scripts/e2e/playground.sh  # forget earlier playground data (.e2e/playground)
#   N8N_PORT=5700 FAKE_RC_PORT=5701 scripts/e2e/playground.sh
#   PLAYGROUND_SKIP_BUILD=1 ...                   # reuse dist/
#   PLAYGROUND_SMOKE=1 ...                        # start, check /healthz and that the node type is known, stop
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
log() { printf '[playground %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

log "provisioning Node 24 and n8n (cached after the first run; the first takes ~7 min)"
ENV_LINES="$(scripts/e2e/install-n8n.sh --print-env)"
eval "$(printf '%s\n' "$ENV_LINES" | grep -E '^(NODE24_BIN|NODE24_DIR|N8N_BIN)=' | sed 's/^/export /')"

[[ -d node_modules ]] || { log "npm ci"; npm ci --no-audit --no-fund; }
if [[ "${PLAYGROUND_SKIP_BUILD:-0}" == 1 && -d dist ]]; then
	log "PLAYGROUND_SKIP_BUILD=1: reusing dist/"
else
	log "npm run build"
	npm run build --silent
fi
log "compiling the fake server (test/e2e/tsconfig.json -> .e2e/build)"
rm -rf .e2e/build
npx --no-install tsc -p test/e2e/tsconfig.json

# exec: Ctrl-C goes straight to the Node process, which stops n8n and the fake.
exec node .e2e/build/test/e2e/playground.js
