#!/usr/bin/env bash
# Host fixture check (issue 14, item 3): do what a user did. Pack the module, install the
# tarball into a fresh Nest 11 app (Express, TypeORM on PostgreSQL, a global prefix and
# ValidationPipe, its own Socket.IO gateway on Nest's default adapter), and fail on any
# ERESOLVE warning, native build or second copy of a Nest package; print the package count
# and the install time; then build the host with its own tsc, boot it and deliver.
# `npm install` runs only inside a temporary directory, never in the repository; the
# temporary directory and the database are removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
pg=(psql -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -qAt)
db="host_fixture_$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/host-fixture-XXXXXX")
cleanup() {
  "${pg[@]}" -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "host-fixture: FAILED: $*" >&2
  exit 1
}

pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1 || fail "PostgreSQL is not accepting connections on 127.0.0.1:5432"

echo "== host-fixture: build and pack"
npm run build --silent
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
[ -f "$work/$tarball" ] || fail "npm pack produced no $work/$tarball"

echo "== host-fixture: a Nest 11 host in $work/host"
host="$work/host"
mkdir -p "$host/src"
sed "s|\"__TARBALL__\"|\"file:../$tarball\"|" scripts/host-fixture/host/package.json > "$host/package.json"
cp scripts/host-fixture/host/tsconfig.json "$host/"
cp scripts/host-fixture/host/src/*.ts "$host/src/"
cd "$host"

echo "== host-fixture: npm install (the tarball and the host's own dependencies)"
# --foreground-scripts: any install script's output (node-gyp, prebuild) lands in the log.
install_started=$(date +%s%N)
if ! npm install --no-audit --no-fund --foreground-scripts > install.log 2>&1; then
  cat install.log >&2
  fail "npm install failed"
fi
install_ms=$(( ($(date +%s%N) - install_started) / 1000000 ))
cat install.log

if grep -q 'ERESOLVE' install.log; then
  grep -n 'ERESOLVE' install.log >&2
  fail "npm install printed ERESOLVE warnings (above)"
fi
if grep -Eiq 'node-gyp|gyp info|gyp ERR|prebuild-install' install.log; then
  grep -Ein 'node-gyp|gyp info|gyp ERR|prebuild-install' install.log | head -n 20 >&2
  fail "a native build ran during npm install (above)"
fi
[ ! -e node_modules/better-sqlite3 ] || fail "better-sqlite3 was installed (an optional peer a PostgreSQL host never asked for)"
native=$(find node_modules \( -name binding.gyp -o -name '*.node' \) -not -path '*/node_modules/node-gyp/*' | head -n 20)
[ -z "$native" ] || fail "native addons in the install: $native"

# Every @nestjs/* package exactly once, at the top level of the host's node_modules.
npm query '[name^="@nestjs/"]' > nest-packages.json
node -e '
  const nodes = require("./nest-packages.json");
  const nested = nodes.filter((n) => n.location !== "node_modules/" + n.name);
  for (const n of nodes.filter((n) => !nested.includes(n))) console.log(`   ${n.name} ${n.version}`);
  if (nested.length) {
    for (const n of nested) console.error(`host-fixture: second copy: ${n.name} ${n.version} at ${n.location}`);
    process.exit(1);
  }
' || fail "a second copy of a Nest package was installed (above)"
# Nothing missing, invalid or unmet in the tree (npm ls exits non-zero on any of these).
npm ls --all > npm-ls.log 2>&1 || { grep -Ei 'invalid|missing|UNMET|ERR' npm-ls.log >&2 || cat npm-ls.log >&2; fail "npm ls --all reports problems (above)"; }

packages=$(npm ls --all --parseable | grep "/node_modules/" | sort -u | wc -l)
added=$(grep -Eo 'added [0-9]+ packages?' install.log | tail -n 1 || true)
echo "host-fixture: installed $packages packages (npm: ${added:-no summary}) in $(( install_ms / 1000 )).$(( install_ms % 1000 / 100 )) s"

echo "== host-fixture: build the host with its own tsc"
./node_modules/.bin/tsc -p tsconfig.json

echo "== host-fixture: boot on PostgreSQL (database $db), deliver, Socket.IO"
"${pg[@]}" -d postgres -c "CREATE DATABASE \"$db\""
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" node dist/check.js
echo "host-fixture: done in $(( $(date +%s) - started )) s (install $(( install_ms / 1000 )).$(( install_ms % 1000 / 100 )) s, $packages packages)"
