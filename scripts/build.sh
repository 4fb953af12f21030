#!/usr/bin/env bash
# Builds the site into dist/ (release): the trainer's bundle (Trunk.trainer.toml → target/bundles/
# trainer/), then the reader's (Trunk.toml), whose content step copies the trainer's into
# dist/trainer/ and writes every page. Trunk 0.21 builds one HTML entry per run, hence two runs;
# both compile the same library with the same features, so cargo builds it once.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
trunk --config Trunk.trainer.toml build --release --offline
trunk build --release --offline
