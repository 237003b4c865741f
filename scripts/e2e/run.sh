#!/usr/bin/env bash
# End-to-end tests: the packed package inside a real n8n, against the fake RingCentral server.
#
#   scripts/e2e/run.sh                 # everything (installs n8n on first use, ~10 min once)
#   scripts/e2e/run.sh list-all jwt    # only the named scenarios (see test/e2e/scenarios.ts)
#   E2E_KEEP=1 scripts/e2e/run.sh      # keep the temp dir (n8n user folder, logs) for inspection
#   E2E_SKIP_BUILD=1 scripts/e2e/run.sh  # reuse the existing dist/ (no `npm run build`)
#
# Steps: provision Node 24 + n8n (scripts/e2e/install-n8n.sh, cached outside the repo),
# `npm run build`, compile the fake server and the runner (test/e2e/tsconfig.json, into
# .e2e/build), then `node .e2e/build/test/e2e/run.js` does the rest (pack, install into a
# fresh n8n user folder, start the fake, import credentials and workflows, `n8n execute`
# each scenario, check outputs and the fake's request log, clean up).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"

log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
START=$SECONDS

log "1/4 provisioning Node 24 and n8n (cached after the first run)"
ENV_LINES="$(scripts/e2e/install-n8n.sh --print-env)"
eval "$(printf '%s\n' "$ENV_LINES" | grep -E '^(NODE24_BIN|NODE24_DIR|N8N_BIN)=' | sed 's/^/export /')"

if [[ ! -d node_modules ]]; then
	log "node_modules is missing: running npm ci"
	npm ci --no-audit --no-fund
fi

if [[ "${E2E_SKIP_BUILD:-0}" == 1 && -d dist ]]; then
	log "2/4 E2E_SKIP_BUILD=1: reusing dist/"
else
	log "2/4 npm run build"
	npm run build --silent
fi

log "3/4 compiling the fake server and the e2e runner (test/e2e/tsconfig.json -> .e2e/build)"
rm -rf .e2e/build
npx --no-install tsc -p test/e2e/tsconfig.json

log "4/4 running the scenarios"
set +e
node .e2e/build/test/e2e/run.js "$@"
rc=$?
set -e
if [[ $rc == 0 ]]; then
	log "e2e: all scenarios passed in $((SECONDS - START))s"
else
	log "e2e: FAILED (exit $rc) after $((SECONDS - START))s"
fi
exit $rc
