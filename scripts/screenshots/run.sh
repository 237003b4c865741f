#!/usr/bin/env bash
# Regenerates the pictures in docs/images/: starts a fresh playground (its own data folder and
# free ports, so a playground you have open is left alone), takes the pictures in headless
# Chromium (scripts/screenshots/take.mjs), and stops the playground.
#
#   npm run screenshots                      # or: bash scripts/screenshots/run.sh
#   CHROMIUM=/path/to/chrome npm run screenshots
#   OUT_DIR=/tmp/pictures npm run screenshots
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
log() { printf '[screenshots %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

WORK="$(mktemp -d)"
N8N_PORT="$(free_port)"
FAKE_RC_PORT="$(free_port)"
BROKER_PORT="$(free_port)"
PLAYGROUND_PID=""
cleanup() {
	# playground.sh execs Node, which stops n8n and the fake on SIGINT (as Ctrl-C does).
	[[ -n "$PLAYGROUND_PID" ]] && kill -INT "$PLAYGROUND_PID" 2>/dev/null && wait "$PLAYGROUND_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

log "starting a fresh playground on ports $N8N_PORT (n8n) and $FAKE_RC_PORT (fake RingCentral)"
PLAYGROUND_DIR="$WORK/user" PLAYGROUND_FRESH=1 PLAYGROUND_QUIET=1 N8N_PORT="$N8N_PORT" \
	FAKE_RC_PORT="$FAKE_RC_PORT" N8N_RUNNERS_BROKER_PORT="$BROKER_PORT" \
	bash scripts/e2e/playground.sh >"$WORK/playground.log" 2>&1 &
PLAYGROUND_PID=$!

for _ in $(seq 1 600); do
	grep -q 'n8n editor:' "$WORK/playground.log" && break
	if ! kill -0 "$PLAYGROUND_PID" 2>/dev/null; then
		cat "$WORK/playground.log" >&2
		log "the playground stopped before n8n was ready"
		exit 1
	fi
	sleep 1
done
grep -q 'n8n editor:' "$WORK/playground.log" || {
	tail -40 "$WORK/playground.log" >&2
	log "n8n was not ready within 10 minutes"
	exit 1
}

log "taking the pictures"
N8N_URL="http://localhost:$N8N_PORT" FAKE_RC_URL="http://127.0.0.1:$FAKE_RC_PORT" \
	node scripts/screenshots/take.mjs
log "done: $(du -ch docs/images/*.png | tail -1 | cut -f1) in docs/images/"
