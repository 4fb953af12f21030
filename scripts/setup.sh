#!/usr/bin/env bash
# Installs what is missing to build (and, with --test, to test) the portal. Idempotent: every step
# checks first and does nothing when the right version is already there.
#   scripts/setup.sh          Rust wasm target, trunk, wasm-bindgen-cli, npm packages (wasm-opt)
#   scripts/setup.sh --test   the same, plus Chromium, ChromeDriver and the Noto CJK fonts from Debian
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PWD/node_modules/.bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }
have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"; }
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

# The wasm-bindgen CLI must match the library version the app is built with, so read it from
# Cargo.lock rather than repeating it here.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
[[ -n $WASM_BINDGEN_VERSION ]] || { echo "Cargo.lock names no wasm-bindgen version" >&2; exit 1; }
grep -q "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml ||
  { echo "Trunk.toml [tools] wasm_bindgen must be $WASM_BINDGEN_VERSION (as in Cargo.lock)" >&2; exit 1; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The two cargo installs are independent and each takes minutes: run them side by side.
pids=()
if ! have_version trunk "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (takes several minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --quiet & pids+=($!)
fi
if ! have_version wasm-bindgen "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # --locked fails for this version here (its lockfile pins a yanked crate); a plain install works.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --quiet & pids+=($!)
fi

if ! command -v npm >/dev/null 2>&1; then
  say "installing Node.js and npm from Debian"
  as_root apt-get update -qq && as_root apt-get install -y -qq nodejs npm
fi
# npm ci only when node_modules was not installed from this exact package-lock.json.
if ! cmp -s package-lock.json node_modules/.portal-lock; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.portal-lock
fi

if [[ ${1:-} == --test ]]; then
  # Chromium draws Chinese with whatever CJK font the system has; without one the layout tests
  # measure fallback glyphs. fonts-noto-cjk is the font they check for (tests/e2e/layout.spec.ts).
  apt_missing=()
  [[ -x /usr/bin/chromium ]] || apt_missing+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || apt_missing+=(chromium-driver)
  dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' ||
    apt_missing+=(fonts-noto-cjk)
  if ((${#apt_missing[@]})); then
    say "installing from Debian: ${apt_missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
  fi
  if ! rustup component list --installed 2>/dev/null | grep -q '^clippy'; then
    rustup component add clippy rustfmt
  fi
fi

for pid in "${pids[@]}"; do wait "$pid"; done
have_version trunk "trunk $TRUNK_VERSION" || { echo "trunk $TRUNK_VERSION is not on PATH" >&2; exit 1; }
have_version wasm-bindgen "wasm-bindgen $WASM_BINDGEN_VERSION" || { echo "wasm-bindgen $WASM_BINDGEN_VERSION is not on PATH" >&2; exit 1; }
have_version wasm-opt "version 132" || { echo "wasm-opt 132 (npm binaryen) is not in node_modules/.bin" >&2; exit 1; }
say "tools ready: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version)"
