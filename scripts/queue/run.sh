#!/usr/bin/env bash
# Queue-mode test: the packed package in n8n scaled out (main + 2 workers, Redis, Postgres) and in
# one n8n process, 10 webhook executions at once under RingCentral's limits scaled down.
#
#   scripts/queue/run.sh                  # everything; fails when a threshold is missed
#   QUEUE_ENFORCE=0 scripts/queue/run.sh  # print the figures, fail only on failed executions or lost items
#   QUEUE_MODES=queue scripts/queue/run.sh  # only queue mode (or: single)
#   QUEUE_KEEP=1 scripts/queue/run.sh     # keep the temp dir (user folders, logs)
#   QUEUE_SKIP_BUILD=1 scripts/queue/run.sh  # reuse the existing dist/
#
# Installs redis-server and postgresql with apt-get when they are missing (as root), starts both
# on free 127.0.0.1 ports with their data in a temp dir, and stops them at the end, failure or not.
# See test/queue/README.md.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"

log() { printf '[queue %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
START=$SECONDS

free_port() {
	node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

as_postgres() {
	if command -v runuser >/dev/null; then
		runuser -u postgres -- "$@"
	else
		su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
	fi
}

postgres_bin() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

install_missing() {
	local packages=()
	command -v redis-server >/dev/null || packages+=(redis-server)
	[[ -n "$(postgres_bin)" && -x "$(postgres_bin)/initdb" ]] || packages+=(postgresql)
	[[ ${#packages[@]} == 0 ]] && return 0
	if [[ $(id -u) != 0 ]]; then
		log "missing ${packages[*]}: install them (apt-get install ${packages[*]}) or run as root"
		exit 1
	fi
	log "installing ${packages[*]} with apt-get"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >/dev/null ||
		{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >/dev/null; }
	# The Debian package starts a cluster and a Redis of its own on the default ports: not ours, leave them.
}

log "1/5 provisioning Node 24 and n8n (cached after the first run), Redis and Postgres"
ENV_LINES="$(scripts/e2e/install-n8n.sh --print-env)"
eval "$(printf '%s\n' "$ENV_LINES" | grep -E '^(NODE24_BIN|NODE24_DIR|N8N_BIN)=' | sed 's/^/export /')"
install_missing
PGBIN="$(postgres_bin)"
id postgres >/dev/null 2>&1 || { log "there is no postgres user (the postgresql package creates it)"; exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/rc-queue-XXXXXX")"
chmod 755 "$TMP"
REDIS_PID=""
PG_STARTED=0
cleanup() {
	local rc=$?
	set +e
	if [[ -n "$REDIS_PID" ]]; then
		kill "$REDIS_PID" 2>/dev/null
		wait "$REDIS_PID" 2>/dev/null
	fi
	if [[ $PG_STARTED == 1 ]]; then
		as_postgres "$PGBIN/pg_ctl" -D "$TMP/pg" -m immediate -w stop >/dev/null 2>&1
	fi
	# Nothing of this run may outlive it: processes started from the temp dir or the runner's build.
	local left
	left="$(ps -eo pid=,args= | grep -F -e "$TMP" -e "$REPO/.e2e/queue-build" | grep -v -e grep -e "ps -eo" || true)"
	for proc in /proc/[0-9]*; do
		[[ "$(readlink "$proc/cwd" 2>/dev/null)" == "$TMP"* ]] && left+=$'\n'"${proc#/proc/} $(tr '\0' ' ' <"$proc/cmdline" 2>/dev/null)"
	done
	left="$(printf '%s\n' "$left" | sed '/^\s*$/d')"
	if [[ -n "$left" ]]; then
		log "processes left over (stopping them):"
		printf '%s\n' "$left" >&2
		for pid in $(printf '%s\n' "$left" | awk '{print $1}'); do kill -9 "$pid" 2>/dev/null; done
		[[ $rc == 0 ]] && rc=1
	fi
	if [[ "${QUEUE_KEEP:-0}" == 1 ]]; then log "QUEUE_KEEP=1: left $TMP in place"; else rm -rf "$TMP"; fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

REDIS_PORT="$(free_port)"
mkdir -p "$TMP/redis"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$TMP/redis" \
	--logfile "$TMP/redis/redis.log" &
REDIS_PID=$!
for _ in $(seq 50); do
	redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
	sleep 0.2
done
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG || { log "Redis did not start"; cat "$TMP/redis/redis.log" >&2; exit 1; }
log "Redis on 127.0.0.1:$REDIS_PORT (pid $REDIS_PID)"

PG_PORT="$(free_port)"
mkdir -p "$TMP/pg" "$TMP/pgsock"
chown postgres "$TMP/pg" "$TMP/pgsock"
as_postgres "$PGBIN/initdb" -D "$TMP/pg" -U postgres -A trust -E UTF8 --no-sync >"$TMP/initdb.log" 2>&1 ||
	{ log "initdb failed"; cat "$TMP/initdb.log" >&2; exit 1; }
PG_STARTED=1
as_postgres "$PGBIN/pg_ctl" -D "$TMP/pg" -l "$TMP/pgsock/postgres.log" -w -t 60 \
	-o "-h 127.0.0.1 -p $PG_PORT -k $TMP/pgsock -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
	start >/dev/null || { log "Postgres did not start"; cat "$TMP/pgsock/postgres.log" >&2; exit 1; }
as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres n8n
log "Postgres $(basename "$(dirname "$PGBIN")") on 127.0.0.1:$PG_PORT, database n8n"

if [[ ! -d node_modules ]]; then
	log "node_modules is missing: running npm ci"
	npm ci --no-audit --no-fund
fi
if [[ "${QUEUE_SKIP_BUILD:-${E2E_SKIP_BUILD:-0}}" == 1 && -d dist ]]; then
	log "2/5 reusing dist/"
else
	log "2/5 npm run build"
	npm run build --silent
fi

log "3/5 compiling the fake server and the queue runner (test/queue/tsconfig.json -> .e2e/queue-build)"
rm -rf .e2e/queue-build
npx --no-install tsc -p test/queue/tsconfig.json

log "4/5 running: queue mode (main + 2 workers) and one process, workflows A and B"
mkdir -p .build
set +e
QUEUE_SCRATCH="$TMP/n8n" QUEUE_REDIS_PORT="$REDIS_PORT" QUEUE_PG_PORT="$PG_PORT" \
	QUEUE_PG_USER=postgres QUEUE_PG_DATABASE=n8n QUEUE_FIGURES="$REPO/.build/queue-figures.json" \
	node .e2e/queue-build/test/queue/run.js "$@"
rc=$?
set -e
log "5/5 stopping Redis and Postgres"
if [[ $rc == 0 ]]; then
	log "queue test passed in $((SECONDS - START))s (figures in .build/queue-figures.json)"
else
	log "queue test FAILED (exit $rc) after $((SECONDS - START))s"
fi
exit $rc
