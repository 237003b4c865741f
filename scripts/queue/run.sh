#!/usr/bin/env bash
# Queue-mode test: the packed package in n8n main + 2 workers (Redis, Postgres), 10 webhook
# executions at once against the fake RingCentral under scaled-down limits, then the same load
# in one n8n process. Fails when an execution fails or loses items, or the thresholds are missed.
#
#   scripts/queue/run.sh                  # npm run test:queue
#   QUEUE_KEEP=1 scripts/queue/run.sh     # keep the temp dir (user folders)
#   QUEUE_VERBOSE=1 scripts/queue/run.sh  # echo every process's output
#   E2E_SKIP_BUILD=1 scripts/queue/run.sh # reuse the existing dist/
#
# Installs the Debian packages redis-server and postgresql when missing (apt-get, as root).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
log() { printf '[queue %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
START=$SECONDS

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if ! command -v redis-server >/dev/null 2>&1 || [[ -z "$(pg_bin)" ]]; then
	[[ $(id -u) == 0 ]] || { log "redis-server or postgresql is missing and this is not root: install them"; exit 1; }
	log "installing redis-server and postgresql (apt-get)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends redis-server postgresql >/dev/null
fi
export QUEUE_PG_BIN="$(pg_bin)"
id postgres >/dev/null 2>&1 || { log "the postgres user is missing (the postgresql package creates it)"; exit 1; }

log "1/3 provisioning Node 24 and n8n (cached after the first run)"
ENV_LINES="$(scripts/e2e/install-n8n.sh --print-env)"
eval "$(printf '%s\n' "$ENV_LINES" | grep -E '^(NODE24_BIN|NODE24_DIR|N8N_BIN)=' | sed 's/^/export /')"

if [[ "${E2E_SKIP_BUILD:-0}" == 1 && -d dist ]]; then
	log "2/3 E2E_SKIP_BUILD=1: reusing dist/"
else
	log "2/3 npm run build"
	npm run build --silent
fi
rm -rf .e2e/build
npx --no-install tsc -p test/e2e/tsconfig.json

log "3/3 queue mode and one process"
set +e
"$NODE24_BIN" .e2e/build/test/e2e/queue.js "$@"
rc=$?
set -e
log "test:queue $([[ $rc == 0 ]] && echo passed || echo "FAILED (exit $rc)") in $((SECONDS - START))s"
exit $rc
