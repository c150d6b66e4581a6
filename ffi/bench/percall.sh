#!/usr/bin/env bash
# Per-call speed of Camellia_* through the C ABI: the same C program (percall.c) linked
# once against libtsubaki.a and once against OpenSSL's libcrypto, run one after the other.
#   bash ffi/bench/percall.sh [CALLS]      (from the repository root; builds libtsubaki)
# With BASELINE_LIB=/path/to/an/older/libtsubaki.a a third build of the same source runs
# in the same alternation, labelled "baseline" (before/after comparisons).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q -p tsubaki-ffi --release
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -std=c11 -O2 -Iffi/include -o "$out/percall_tsubaki" ffi/bench/percall.c \
    target/release/libtsubaki.a -lpthread -ldl -lm
if [ -n "${BASELINE_LIB:-}" ]; then
    cc -std=c11 -O2 -Iffi/include -DIMPL_NAME='"baseline"' -o "$out/percall_baseline" \
        ffi/bench/percall.c "$BASELINE_LIB" -lpthread -ldl -lm
fi
cc -std=c11 -O2 -DUSE_OPENSSL -Wno-deprecated-declarations -o "$out/percall_openssl" \
    ffi/bench/percall.c -lcrypto
echo "# before: $(uptime)"
echo "# openssl: $(openssl version 2>/dev/null || echo '?')"
# The two programs alternate, three runs each; each line keeps the best of its runs (the
# machine is shared: the least disturbed run is the closest to the true cost).
for _ in 1 2 3; do
    "$out/percall_tsubaki" "${1:-200000}"
    "$out/percall_openssl" "${1:-200000}"
    [ -x "$out/percall_baseline" ] && "$out/percall_baseline" "${1:-200000}"
done | awk '{ key = $1 " " $2 " " ($3 ~ /B$/ ? $3 : ""); v = $(($3 ~ /B$/) ? 4 : 3);
             if (!(key in best) || v < best[key]) { best[key] = v; line[key] = $0 }
             if (!(key in order)) { order[key] = n++ ; keys[n - 1] = key } }
           END { for (i = 0; i < n; i++) print line[keys[i]] }'
echo "# after: $(uptime)"
