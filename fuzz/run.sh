#!/usr/bin/env bash
# Runs the tsubaki fuzz targets (see FUZZING.md). Needs the nightly toolchain; installs
# cargo-fuzz if it is missing.
#
#   fuzz/run.sh <target|all> [runs=N | time=SECONDS]     fuzz (default: time=60)
#   fuzz/run.sh cmin <target|all>                         minimise the checked-in corpus
#   fuzz/run.sh list                                      the targets and their -max_len
#
# One process, one worker, niced (the machine is shared): libFuzzer's default in-process
# mode, which is what `-jobs=1 -workers=1` amounts to without the extra child process and
# its fuzz-0.log. Each input is limited to 1 s (-timeout=1) and the process to 2 GiB of RSS;
# -max_len is set per target below (the largest valid encoding of its surface, with room).
# The corpus directory fuzz/corpus/<target> receives the new inputs; crashes go to
# fuzz/artifacts/<target>/. SANITIZER=address (default none: the bodies are safe Rust over
# a library whose unsafe code is the SIMD backends; the ASan runs are listed in FUZZING.md).
set -euo pipefail
cd "$(dirname "$0")"

declare -A MAX_LEN=(
    [pem_base64]=4096 [pkcs8]=512 [sec1_der]=512 [spki]=512 [signature]=256
    [sec1_point]=160 [paillier_binary]=2048 [paillier_ciphertext]=1024
    [paillier_json]=4096 [paillier_secret_import]=2048 [threshold]=8192
    [shamir_share]=4096 [hpke_open]=1024 [aead_open]=1024 [key_unwrap]=512
    [cbc_unpad]=1024 [stats_binary]=8192 [stats_json]=16384 [cli_json]=4096
    [camellia_diff]=16384 [ecdsa_openssl]=512 [bigint_diff]=1200
)
TARGETS=(pem_base64 pkcs8 sec1_der spki signature sec1_point paillier_binary
    paillier_ciphertext paillier_json paillier_secret_import threshold shamir_share
    hpke_open aead_open key_unwrap cbc_unpad stats_binary stats_json cli_json
    camellia_diff ecdsa_openssl bigint_diff)
SANITIZER=${SANITIZER:-none}
BUILD=(-a -s "$SANITIZER" -O)   # debug assertions and overflow checks on, optimised

command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked

common_flags() {
    echo "-rss_limit_mb=2048 -timeout=1 -max_len=${MAX_LEN[$1]} -print_final_stats=1"
}

pick() {
    if [[ $1 == all ]]; then
        echo "${TARGETS[@]}"
    elif [[ -n ${MAX_LEN[$1]:-} ]]; then
        echo "$1"
    else
        echo "unknown target $1 (fuzz/run.sh list)" >&2
        exit 2
    fi
}

case ${1:-} in
list)
    for t in "${TARGETS[@]}"; do echo "$t -max_len=${MAX_LEN[$t]}"; done
    ;;
cmin)
    for t in $(pick "${2:-all}"); do
        # shellcheck disable=SC2046
        nice -n 10 cargo +nightly fuzz cmin "${BUILD[@]}" "$t" "corpus/$t" -- $(common_flags "$t")
    done
    ;;
"")
    sed -n '4,7p' "$0"
    exit 2
    ;;
*)
    budget=${2:-time=60}
    case $budget in
    runs=*) limit="-runs=${budget#runs=}" ;;
    time=*) limit="-max_total_time=${budget#time=}" ;;
    *)
        echo "budget is runs=N or time=SECONDS" >&2
        exit 2
        ;;
    esac
    for t in $(pick "$1"); do
        mkdir -p "corpus/$t"
        # shellcheck disable=SC2046
        nice -n 10 cargo +nightly fuzz run "${BUILD[@]}" "$t" "corpus/$t" -- \
            $(common_flags "$t") "$limit"
    done
    ;;
esac
