#!/usr/bin/env python3
"""Instruction counts per call (callgrind) of the hot paths and the scrape, for every
implementation the profile drivers know.

Each case runs twice under `valgrind --tool=callgrind`, with a small and a large repeat count;
the difference in instructions divided by the difference in repeats is the count per call
(per scrape, or per series for the scrapes), free of start-up and set-up. The counts do not
depend on the machine's load, so they compare designs where wall times are too noisy.

    python3 scripts/instructions.py                 # build the drivers, count every case
    python3 scripts/instructions.py --only dynamic  # cases whose name contains `dynamic`

Writes `<target>/criterion/instructions.json`, which `scripts/bench_report.py` puts beside the
criterion medians, and prints the same figures.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

# (case id, driver, arguments before the count, small count, large count, divide by)
LOOKUPS = [
    "raw-atomic", "counter", "striped-counter", "histogram", "fixed-plain", "fixed",
    "fixed-measured", "fixed-fastmetrics", "dynamic-get-ref", "dynamic-arc",
    "dynamic-fastmetrics", "dynamic-measured",
]
SERIES = 10_000
ENCODES = [
    ("oxios-metrics", "prometheus"), ("measured", "prometheus"), ("fastmetrics", "prometheus"),
    ("prometheus", "prometheus"), ("oxios-metrics", "openmetrics"),
    ("fastmetrics", "openmetrics"), ("prometheus-client", "openmetrics"),
    ("oxios-metrics", "protobuf"), ("prometheus", "protobuf"),
]


# Classic histogram families of oxios-metrics (profile_encode_histogram): 1,000 series of
# 10 buckets, in a dynamic or a fixed family.
HISTOGRAM_SERIES = 1_000
HISTOGRAM_ENCODES = [(kind, fmt) for kind in ("dynamic", "fixed")
                     for fmt in ("prometheus", "openmetrics", "protobuf")]


def cases():
    for name in LOOKUPS:
        yield (f"lookup/{name}", "profile_lookup", [name], 200_000, 400_000, 1)
    for name, fmt in ENCODES:
        # Per series: one scrape writes SERIES of them.
        yield (f"encode/{fmt}/{name}", "profile_encode", [name, fmt], 2, 6, SERIES)
    for kind, fmt in HISTOGRAM_ENCODES:
        yield (f"encode-histogram/{fmt}/{kind}", "profile_encode_histogram", [kind, fmt], 2, 6,
               HISTOGRAM_SERIES)


def collected(binary, args):
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", str(binary), *args],
        capture_output=True, text=True)
    if result.returncode != 0:
        return None, result.stderr.strip().splitlines()[-1:] or ["failed"]
    match = re.search(r"Collected\s*:\s*(\d+)", result.stderr)
    return (int(match.group(1)), None) if match else (None, ["no count in valgrind's output"])


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="count only the cases whose id contains this")
    parser.add_argument("--no-build", action="store_true", help="use the drivers as built")
    parser.add_argument("--target-dir", help="cargo target directory (default: ./target)")
    args = parser.parse_args()
    repo = Path(__file__).resolve().parent.parent
    env_dir = os.environ.get("CARGO_TARGET_DIR")
    tdir = Path(args.target_dir or env_dir or repo / "target")
    if not args.no_build:
        for driver in ("profile_lookup", "profile_encode", "profile_encode_histogram"):
            subprocess.run(["cargo", "build", "--release", "-p", "oxios-metrics-benches",
                            "--example", driver], cwd=repo, check=True)
    out_path = tdir / "criterion" / "instructions.json"
    results = json.loads(out_path.read_text()) if out_path.exists() else {}
    for case, driver, extra, small, large, per in cases():
        if args.only and args.only not in case:
            continue
        binary = tdir / "release" / "examples" / driver
        low, error = collected(binary, extra + [str(small)])
        high, error_high = (None, None) if error else collected(binary, extra + [str(large)])
        if error or error_high:
            print(f"{case:<40} skipped: {(error or error_high)[0]}")
            continue
        per_call = (high - low) / ((large - small) * per)
        results[case] = round(per_call, 1)
        print(f"{case:<40} {per_call:10.1f} instructions")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"wrote {out_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
