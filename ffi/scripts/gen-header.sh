#!/usr/bin/env bash
# Regenerates ffi/include/tsubaki.h with the pinned cbindgen, installing it if missing.
# Used by CI (.ci/run), which then fails if the checked-in header differs.
set -euo pipefail
CBINDGEN_VERSION=0.29.4
cd "$(dirname "$0")/.."
if ! command -v cbindgen >/dev/null || [ "$(cbindgen --version)" != "cbindgen $CBINDGEN_VERSION" ]; then
    cargo install cbindgen --version "=$CBINDGEN_VERSION" --locked
fi
cbindgen --config cbindgen.toml --crate tsubaki-ffi --output include/tsubaki.h .
