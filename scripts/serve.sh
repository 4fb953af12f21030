#!/usr/bin/env bash
# Installs what is missing, builds the portal (release) and serves dist/ at http://127.0.0.1:8080/
# with the fallback to index.html that any static host needs for app routes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
bash scripts/build.sh
echo "serving dist/ at http://127.0.0.1:${PORT:-8080}/ (Ctrl+C to stop)"
exec sirv dist --single --port "${PORT:-8080}" --host 127.0.0.1
