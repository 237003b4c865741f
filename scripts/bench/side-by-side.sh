#!/usr/bin/env bash
# This node beside n8n's HTTP Request node in a real n8n (see scripts/bench/side-by-side.ts).
#   bash scripts/bench/side-by-side.sh            # SIDE_RUNS=3 to repeat each workflow
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
ENV_LINES="$(scripts/e2e/install-n8n.sh --print-env)"
eval "$(printf '%s\n' "$ENV_LINES" | grep -E '^(NODE24_BIN|NODE24_DIR|N8N_BIN)=' | sed 's/^/export /')"
if [[ "${E2E_SKIP_BUILD:-0}" != 1 || ! -d dist ]]; then npm run build --silent; fi
rm -rf .e2e/side-build
npx --no-install tsc -p scripts/bench/tsconfig.side.json
node .e2e/side-build/scripts/bench/side-by-side.js
