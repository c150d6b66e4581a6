#!/usr/bin/env bash
# Installs libtsubaki the way C users expect (what `cargo cinstall` would do; cargo-c is
# not needed): into PREFIX (default /usr/local; DESTDIR is honoured for packaging)
#   lib/libtsubaki.so.0.1.0  with the soname libtsubaki.so.0, and the links
#   lib/libtsubaki.so.0 -> libtsubaki.so.0.1.0, lib/libtsubaki.so -> libtsubaki.so.0
#   lib/libtsubaki.a
#   include/tsubaki.h, include/tsubaki/camellia.h
#   lib/pkgconfig/tsubaki.pc
# Then: cc app.c $(pkg-config --cflags --libs tsubaki)             (shared)
#       cc app.c $(pkg-config --static --cflags --libs tsubaki)    (static)
#
#   bash ffi/scripts/install.sh [PREFIX]
# Environment: CARGO_TARGET_DIR (where cargo builds; default target/), DESTDIR, CC.
#
# The shared library is linked from the static one with a version script that exports
# exactly the Camellia_* and tsubaki_* functions (as the cdylib does) and sets the soname,
# so no second compilation of the crate is needed.
set -euo pipefail
cd "$(dirname "$0")/../.."
prefix=${1:-/usr/local}
dest=${DESTDIR:-}
target=${CARGO_TARGET_DIR:-target}
cc=${CC:-cc}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' ffi/Cargo.toml | head -n1)
major=${version%%.*}
[ "$major" = 0 ] && major=0

cargo build -q -p tsubaki-ffi --release --target-dir "$target"
lib="$dest$prefix/lib"
inc="$dest$prefix/include"
install -d "$lib/pkgconfig" "$inc/tsubaki"
install -m644 "$target/release/libtsubaki.a" "$lib/libtsubaki.a"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '{\n  global: Camellia_*; tsubaki_*;\n  local: *;\n};\n' > "$tmp/exports.map"
"$cc" -shared -o "$lib/libtsubaki.so.$version" \
    -Wl,-soname,"libtsubaki.so.$major" -Wl,--version-script="$tmp/exports.map" \
    -Wl,--whole-archive "$target/release/libtsubaki.a" -Wl,--no-whole-archive \
    -lpthread -ldl -lm -lc
ln -sf "libtsubaki.so.$version" "$lib/libtsubaki.so.$major"
ln -sf "libtsubaki.so.$major" "$lib/libtsubaki.so"

install -m644 ffi/include/tsubaki.h "$inc/tsubaki.h"
install -m644 ffi/include/tsubaki/camellia.h "$inc/tsubaki/camellia.h"
sed -e "s|^prefix=.*|prefix=$prefix|" -e "s|^Version:.*|Version: $version|" \
    -e '/^#/d' ffi/tsubaki.pc > "$lib/pkgconfig/tsubaki.pc"
echo "installed libtsubaki $version (soname libtsubaki.so.$major) under $dest$prefix"
