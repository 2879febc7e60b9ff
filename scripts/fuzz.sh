#!/usr/bin/env bash
# Fuzzes the Accept parser, the encoder on arbitrary registries, the runtime validators, and
# the derives' naming and escaping rules against the runtime.
#
#   scripts/fuzz.sh            # 60 s per target, random seeds (the longer, documented run)
#   scripts/fuzz.sh --ci       # fixed seed and run count per target: deterministic, ~1 min
#
# cargo-fuzz needs nightly-only compiler flags (sanitizers); this machine has one stable
# toolchain, so RUSTC_BOOTSTRAP=1 lets that stable compiler accept them for the fuzz build only.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked --quiet
fi
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR_FUZZ:-$PWD/target}"
# The targets leak the 'static strings their descriptions need; that is not a finding.
export ASAN_OPTIONS=detect_leaks=0

if [ "${1:-}" = "--ci" ]; then
    limits=(-seed=1 -runs=30000)
else
    limits=(-max_total_time="${FUZZ_SECONDS:-60}")
fi

cargo fuzz build -O
for target in accept encode validators macro_names; do
    printf '\n== fuzz %s (%s)\n' "$target" "${limits[*]}"
    cargo fuzz run -O "$target" -- "${limits[@]}" -rss_limit_mb=4096 2>&1 | grep -E '^(Done|#[0-9]+ +DONE|SUMMARY)|panicked' || true
    # cargo fuzz exits non-zero on a crash; re-check from its artifacts.
    if compgen -G "artifacts/$target/crash-*" >/dev/null; then
        echo "fuzz $target: crash found, see fuzz/artifacts/$target/" >&2
        exit 1
    fi
done
