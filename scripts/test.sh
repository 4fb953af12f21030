#!/usr/bin/env bash
# Installs what is missing, then runs every check and test: formatting, clippy (host and wasm32),
# native unit and checker tests, wasm-bindgen DOM tests in headless Chromium, one release build,
# and the Playwright end-to-end suite against that build. Ends with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export CARGO_TERM_COLOR=never

passed=0
failed=0
count() { # adds the counts of "N passed; M failed" lines in a runner's output
  local p f
  p=$( { grep -oE '([0-9]+) passed' "$1" || true; } | awk '{s+=$1} END {print s+0}')
  f=$( { grep -oE '([0-9]+) failed' "$1" || true; } | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}
log=$(mktemp -d)
step() { printf '\n== %s\n' "$*"; }
start=$SECONDS

step "format and lints"
cargo fmt --check
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --all-targets --target wasm32-unknown-unknown -- -D warnings
# The app as Trunk builds it (index.html: data-cargo-features).
cargo clippy --quiet --bin portal --bin trainer --target wasm32-unknown-unknown --features fetched-tables -- -D warnings

step "native tests (core, checker fixtures, real content)"
cargo test 2>&1 | tee "$log/native"
count "$log/native"

step "content check"
cargo run --quiet --bin content -- check content

step "wasm-bindgen DOM tests in headless Chromium"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test web 2>&1 | tee "$log/wasm"
count "$log/wasm"

step "release build"
bash scripts/build.sh
node scripts/sizes.mjs | tail -3

step "end-to-end tests (Playwright, Debian Chromium)"
(cd tests/e2e && playwright test --config playwright.config.ts) 2>&1 | tee "$log/e2e" || true
count "$log/e2e"
grep -qE '[0-9]+ passed' "$log/e2e" || failed=$((failed + 1))

printf '\nall tests in %ss:\n' "$((SECONDS - start))"
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
