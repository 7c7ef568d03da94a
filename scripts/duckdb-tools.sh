#!/usr/bin/env bash
# duckdb-tools.sh: install DuckDB's Node.js package (pinned in tools/duckdb/package.json) into
# .cache/duckdb, for the interop tests. Idempotent; prints the folder it installed into.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.cache/duckdb
if [ ! -d "$dest/node_modules/@duckdb/node-api" ]; then
  command -v npm >/dev/null || { echo "duckdb-tools: npm not found" >&2; exit 1; }
  mkdir -p "$dest"
  cp tools/duckdb/package.json "$dest/"
  (cd "$dest" && npm install --no-audit --no-fund --no-package-lock --loglevel=error >&2)
fi
echo "$dest"
