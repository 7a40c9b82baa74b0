#!/usr/bin/env bash
# Compatibility smoke check (issue 3): pack the module, install it into a minimal Nest 12 ESM
# host in a temporary directory, boot it, connect a ws client and deliver notifications.
# `npm install` here runs only inside that temporary directory, never in the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/nest12-smoke-XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== nest12-smoke: build and pack"
npm run build --silent
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)

echo "== nest12-smoke: install a Nest 12 host in $work/host"
mkdir "$work/host"
cp scripts/nest12-smoke/main.mjs "$work/host/main.mjs"
cat > "$work/host/package.json" <<JSON
{
  "name": "nest12-smoke-host",
  "private": true,
  "type": "module",
  "dependencies": {
    "nest-live-notifications": "file:../$tarball",
    "@nestjs/common": "^12",
    "@nestjs/core": "^12",
    "@nestjs/platform-express": "^12",
    "@nestjs/typeorm": "^12",
    "typeorm": "^0.3.20",
    "sql.js": "^1.10.0",
    "jsonwebtoken": "^9",
    "reflect-metadata": "^0.2.2",
    "rxjs": "^7.8.2",
    "ws": "^8"
  }
}
JSON
# No overrides: the package's own dependencies carry no Nest version range, and its peers
# accept the Nest 12 lines. --ignore-scripts: the host needs no native addon (sql.js).
(cd "$work/host" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error)

echo "== nest12-smoke: boot, connect, deliver"
(cd "$work/host" && node main.mjs)
