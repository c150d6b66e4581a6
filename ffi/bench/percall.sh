#!/usr/bin/env bash
# Per-call speed of Camellia_* through the C ABI: the same C program (percall.c) linked
# once against libtsubaki.a and once against OpenSSL's libcrypto, run one after the other.
#   bash ffi/bench/percall.sh [CALLS]      (from the repository root; builds libtsubaki)
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q -p tsubaki-ffi --release
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -std=c11 -O2 -Iffi/include -o "$out/percall_tsubaki" ffi/bench/percall.c \
    target/release/libtsubaki.a -lpthread -ldl -lm
cc -std=c11 -O2 -DUSE_OPENSSL -Wno-deprecated-declarations -o "$out/percall_openssl" \
    ffi/bench/percall.c -lcrypto
echo "# $(uptime)"
echo "# openssl: $(openssl version 2>/dev/null || echo '?')"
"$out/percall_tsubaki" "${1:-200000}"
"$out/percall_openssl" "${1:-200000}"
