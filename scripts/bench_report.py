#!/usr/bin/env python3
"""Turns the criterion results of `oxios-metrics-benches` into BENCHMARKS.md.

Reads every `<target>/criterion/<group>/<bench>/new/{benchmark,estimates}.json` (the median
point estimate of the last run and its confidence interval), `<target>/criterion/allocations.json`
(written by the `allocations` bench), `<target>/criterion/instructions.json` (callgrind counts
per call, written by `scripts/instructions.py`) and, when present, `<target>/criterion/run.json`
(wall time and load of the run, written by `--run`), and writes one table per case, the §10
targets with their verdicts, and the hand-written analysis kept in `benches/ANALYSIS.md`.

    python3 scripts/bench_report.py --run     # cargo bench -p oxios-metrics-benches, then the report
    python3 scripts/bench_report.py           # the report from the last run's results
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

OURS = "oxios-metrics"
RAW = "raw_atomic"
BENCH_COMMAND = ["cargo", "bench", "-p", "oxios-metrics-benches"]
REPRODUCE = "cargo bench -p oxios-metrics-benches && python3 scripts/bench_report.py"

# (group id, title, compare with the raw atomic, what the rows do)
CASES = [
    ("counter_inc", "Counter `inc`, one thread", True,
     "One increment of an existing counter handle."),
    ("counter_inc_2_threads", "Counter `inc`, two threads on one counter", True,
     "Time for each of two threads to do one increment of the same counter, both running at "
     "once (wall time of the pair divided by the increments per thread). The raw atomic and "
     "oxios-metrics' counter sit alone on 128 bytes; the peers' counters are where their "
     "constructors put them (inside an `Arc`); `StripedCounter` gives each thread a cell of "
     "its own. On two cores shared with other work this case is the noisiest of all."),
    ("gauge_set", "Gauge `set`", True, "One store of a new value."),
    ("fixed_family_inc", "Fixed two-label family `get(..).inc()`, cycling 6 combinations", True,
     "Look up the series of the next (tool, outcome) pair in a shuffled cycle, then increment it. "
     "`raw_atomic` runs the same loop and adds to one atomic, ignoring the labels."),
    ("dynamic_family_inc", "Dynamic one-label family, 1,000 string values", False,
     "Look up the series of the next of 1,000 user names (all series exist), then increment it."),
    ("histogram_observe", "Histogram `observe`, 10 buckets", False,
     "One observation; the values hit every bucket and `+Inf` in a shuffled order. "
     "`raw atomics (by hand)` is the floor written directly: a branch-free bucket search, one "
     "`fetch_add`, one compare-and-swap loop on the sum."),
    ("encode_10k_prometheus_0_0_4", "Encode 10,000 series, text 0.0.4", False,
     "A scrape of one counter family with 10,000 `path` values into a cleared, reused buffer."),
    ("encode_10k_openmetrics_1_0", "Encode 10,000 series, OpenMetrics 1.0", False,
     "The same scrape in OpenMetrics (with `# EOF`)."),
    ("encode_10k_protobuf", "Encode 10,000 series, protobuf", False,
     "The same scrape as length-delimited `MetricFamily` messages."),
    ("timed_call", "Timing a function call", False,
     "A call of an empty `#[inline(never)]` function, untimed and with each way of timing it."),
]

# Rows that are references, not peers, in the ours / best-peer ratio.
REFERENCE_ROWS = ("no timing", "two Instant::now", "design probe", "raw")

# Which callgrind count (`scripts/instructions.py`) belongs to which row: (group, row) -> case.
INSTRUCTIONS = {
    ("counter_inc", "raw_atomic"): "lookup/raw-atomic",
    ("counter_inc", "oxios-metrics"): "lookup/counter",
    ("counter_inc", "oxios-metrics (StripedCounter)"): "lookup/striped-counter",
    ("fixed_family_inc", "raw_atomic"): "lookup/fixed-plain",
    ("fixed_family_inc", "oxios-metrics (plain Counter, same loop)"): "lookup/fixed-plain",
    ("fixed_family_inc", "oxios-metrics"): "lookup/fixed",
    ("fixed_family_inc", "measured"): "lookup/fixed-measured",
    ("fixed_family_inc", "fastmetrics"): "lookup/fixed-fastmetrics",
    ("dynamic_family_inc", "oxios-metrics (get_ref, String label held by the caller)"):
        "lookup/dynamic-get-ref",
    ("dynamic_family_inc", "oxios-metrics (Arc<str> label)"): "lookup/dynamic-arc",
    ("dynamic_family_inc", "fastmetrics"): "lookup/dynamic-fastmetrics",
    ("dynamic_family_inc", "measured"): "lookup/dynamic-measured",
    ("histogram_observe", "oxios-metrics"): "lookup/histogram",
}


def instruction_case(group, name):
    """The instructions.json key of a row, if it has one."""
    for prefix, fmt in (("encode_10k_prometheus_0_0_4", "prometheus"),
                        ("encode_10k_openmetrics_1_0", "openmetrics"),
                        ("encode_10k_protobuf", "protobuf")):
        if group == prefix:
            return f"encode/{fmt}/{name}"
    return INSTRUCTIONS.get((group, name))


def target_dir(arg):
    if arg:
        return Path(arg)
    env = os.environ.get("CARGO_TARGET_DIR")
    return Path(env) if env else Path("target")


def stray_results(criterion, run):
    """Estimates not written during the recorded `--run` (a later partial run, or an older one)."""
    if "started_epoch" not in run:
        return []
    stray = []
    for estimates in sorted(criterion.glob("*/*/new/estimates.json")):
        written = estimates.stat().st_mtime
        if not run["started_epoch"] <= written <= run["finished_epoch"]:
            stray.append(str(estimates.parent.parent.relative_to(criterion)))
    return stray


def read_results(criterion):
    """({group: {bench: median nanoseconds}}, {group: {bench: half-width of the median's 95 %
    confidence interval, relative}}) from the last criterion run."""
    results, spread = {}, {}
    for estimates in sorted(criterion.glob("*/*/new/estimates.json")):
        meta_path = estimates.parent / "benchmark.json"
        if not meta_path.exists():
            continue
        meta = json.loads(meta_path.read_text())
        median = json.loads(estimates.read_text())["median"]
        point = median["point_estimate"]
        interval = median.get("confidence_interval", {})
        half = (interval.get("upper_bound", point) - interval.get("lower_bound", point)) / 2
        results.setdefault(meta["group_id"], {})[meta["function_id"]] = point
        spread.setdefault(meta["group_id"], {})[meta["function_id"]] = half / point if point else 0
    return results, spread


def fmt_time(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.3f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.2f} ns"


def is_ours(name):
    return name.startswith(OURS)


def is_peer(name):
    return not is_ours(name) and name != RAW and not name.startswith(REFERENCE_ROWS)


def primary_ours(rows):
    """The row the targets use: `oxios-metrics` itself, else the first oxios-metrics row that
    is not a reference variant."""
    if OURS in rows:
        return OURS
    timed = [n for n in rows if is_ours(n) and n.endswith("(#[timed])")]
    if timed:
        return timed[0]
    candidates = [n for n in rows if is_ours(n) and "same loop" not in n]
    return candidates[0] if candidates else None


def best_peer(rows):
    peers = {n: v for n, v in rows.items() if is_peer(n)}
    if not peers:
        return None, None
    name = min(peers, key=peers.get)
    return name, peers[name]


def machine():
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": run(["nproc"]),
        "cpu": cpu,
        "rustc": run(["rustc", "--version"]),
        "os": f"{platform.system()} {platform.release()}",
    }


def case_table(group, rows, with_raw, allocations, spread, instructions, interleaved):
    ours = primary_ours(rows)
    raw = rows.get(RAW)
    header = ["implementation", "median", "± (95 % CI)"]
    rounds = interleaved.get("cases", {}).get(group, {})
    first = next(iter(rounds.values()), {}).get("first")
    if with_raw and raw:
        header.append("× raw atomic")
    if ours:
        header.append("× oxios-metrics")
    counted = {name: instructions.get(instruction_case(group, name)) for name in rows}
    per = "series" if group.startswith("encode") else "call"
    if any(v is not None for v in counted.values()):
        header.append(f"instructions / {per}")
    if first:
        header.append(f"× {first}, interleaved rounds (median, range)")
    alloc = allocations.get(group)
    if alloc:
        header += ["allocations / scrape", "bytes / scrape"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, ns in sorted(rows.items(), key=lambda item: item[1]):
        label = f"**{name}**" if is_ours(name) else name
        cells = [label, fmt_time(ns), f"{100 * spread.get(name, 0):.1f} %"]
        if with_raw and raw:
            cells.append(f"{ns / raw:.2f}")
        if ours:
            cells.append(f"{ns / rows[ours]:.2f}")
        if any(v is not None for v in counted.values()):
            cells.append("–" if counted[name] is None else f"{counted[name]:g}")
        if first:
            entry = rounds.get(name)
            cells.append("–" if entry is None else
                         f"{entry['ratio_to_first']:.2f} ({entry['low']:.2f}–{entry['high']:.2f})")
        if alloc:
            entry = alloc.get(name)
            if entry:
                cells += [f"{entry['allocations_per_scrape']:g}", f"{entry['bytes_per_scrape']:.0f}"]
            else:
                cells += ["–", "–"]
        lines.append("| " + " | ".join(cells) + " |")
    peer_name, peer_ns = best_peer(rows)
    summary = []
    for name in rows:
        if is_ours(name) and "same loop" not in name and peer_ns:
            summary.append(f"`{name}` / best peer (`{peer_name}`) = **{rows[name] / peer_ns:.2f}**")
    if summary:
        lines.append("")
        lines.append("; ".join(summary) + ".")
    return "\n".join(lines)


def verdict(met):
    return "**met**" if met else "**not met**"


def targets(results, allocations):
    """One row per line of DESIGN §10's table: (case, target, moonshot, measured, verdict)."""
    out = []

    def get(group, name):
        return results.get(group, {}).get(name)

    def row(case, target, moonshot, measured, met, moon_met=None):
        verdict_text = "–" if met is None else verdict(met)
        if moon_met is not None and moonshot:
            verdict_text += ", moonshot " + ("met" if moon_met else "not met")
        out.append(f"| {case} | {target} | {moonshot} | {measured} | {verdict_text} |")

    def ratio_row(case, target, moonshot, limit, moon, ours_ns, base_ns, ours_name, base_name):
        if ours_ns is None or base_ns is None:
            row(case, target, moonshot, "_not measured in this run_", None)
            return
        ratio = ours_ns / base_ns
        row(case, target, moonshot,
            f"{ours_name} {fmt_time(ours_ns)} / {base_name} {fmt_time(base_ns)} = {ratio:.2f}×",
            ratio <= limit, None if moon is None else ratio <= moon)

    ratio_row("counter `inc`", "≤ 1.1× raw atomic", "1.0×", 1.1, 1.0,
              get("counter_inc", OURS), get("counter_inc", RAW), "oxios-metrics", "raw atomic")
    ratio_row("fixed-label `get().inc()`", "≤ 1.1× raw atomic", "1.0×", 1.1, 1.0,
              get("fixed_family_inc", OURS), get("fixed_family_inc", RAW), "oxios-metrics",
              "raw atomic (same loop)")
    rows = results.get("histogram_observe", {})
    peer, peer_ns = best_peer(rows)
    raw_hist = get("histogram_observe", "raw atomics (by hand)")
    if OURS in rows and raw_hist and peer_ns:
        to_raw, to_peer = rows[OURS] / raw_hist, rows[OURS] / peer_ns
        row("histogram `observe` (10 buckets)", "≤ 1.1× raw, ≤ 0.8× best peer", "",
            f"{fmt_time(rows[OURS])}: {to_raw:.2f}× raw atomics by hand ({fmt_time(raw_hist)}), "
            f"{to_peer:.2f}× {peer} ({fmt_time(peer_ns)})", to_raw <= 1.1 and to_peer <= 0.8)
    dyn_name = "oxios-metrics (get_ref, String label held by the caller)"
    ratio_row("dynamic family: lookup of an existing label set by reference, then `inc`",
              "≤ 1.0× `fastmetrics`", "≤ 0.7×", 1.0, 0.7, get("dynamic_family_inc", dyn_name),
              get("dynamic_family_inc", "fastmetrics"), "`get_ref`", "fastmetrics")
    for group, title, limit, moon, moon_text in [
            ("encode_10k_prometheus_0_0_4", "encode 10,000 dynamic series, text 0.0.4", 0.5, 0.3, "≤ 0.3×"),
            ("encode_10k_openmetrics_1_0", "encode, OpenMetrics", 0.5, None, ""),
            ("encode_10k_protobuf", "encode, protobuf", 0.5, None, "")]:
        rows = results.get(group, {})
        peer, peer_ns = best_peer(rows)
        ratio_row(title, "≤ 0.5× the best peer that writes that format", moon_text, limit, moon,
                  rows.get(OURS), peer_ns, "oxios-metrics", peer or "best peer")
    counts = [(group, entry["allocations_per_scrape"])
              for group, entries in allocations.items()
              for name, entry in entries.items() if name == OURS]
    if counts:
        row("allocations per warm scrape, every format", "0", "",
            ", ".join(f"{group.removeprefix('encode_10k_')}: {count:g}" for group, count in counts)
            + " (direct into a `Vec`; through `io::Write` in `tests/tests/allocations.rs`)",
            all(count == 0 for _, count in counts))
    ratio_row("opt-in striped counter, 2 threads contending", "≤ 0.5× raw atomic per op", "0.3×",
              0.5, 0.3, get("counter_inc_2_threads", "oxios-metrics (StripedCounter)"),
              get("counter_inc_2_threads", RAW), "`StripedCounter`", "raw atomic")
    rows = results.get("timed_call", {})
    by_hand = next((v for n, v in rows.items() if n.startswith("two Instant::now")), None)
    timed_name = next((n for n in rows if n.startswith(OURS) and "#[timed]" in n), None)
    ratio_row("`#[timed]`", "≤ 1.2× two `Instant::now()` + one `observe`", "", 1.2, None,
              rows.get(timed_name), by_hand, "`#[timed]`", "by hand")
    rows = results.get("native_observe", {})
    if rows:
        native = next((v for n, v in rows.items() if n.startswith("native") and "classic" not in n), None)
        classic = next((v for n, v in rows.items() if n.startswith("classic")), None)
        ratio_row("native histogram `observe`", "≤ 1.5× a classic 10-bucket `observe`", "", 1.5,
                  None, native, classic, "native", "classic")
    header = ["| case (DESIGN §10) | target | moonshot | measured (medians, one run) | verdict |",
              "|---|---|---|---|---|"]
    return "\n".join(header + out)


def left_out_text(repo):
    """Peers that cannot express a case, parsed from the benches' LEFT_OUT table."""
    source = (repo / "benches" / "src" / "exposition.rs").read_text()
    entries = re.findall(r'\(\s*"([^"]+)",\s*TextFormat::(\w+),\s*"([^"]+)",?\s*\)', source)
    names = {"OpenMetrics": "OpenMetrics", "Prometheus": "text 0.0.4", "Protobuf": "protobuf"}
    return [f"- `{peer}`, {names.get(fmt, fmt)}: {why}." for peer, fmt, why in entries]


def render(repo, tdir):
    criterion = tdir / "criterion"
    results, spread = read_results(criterion)
    alloc_path = criterion / "allocations.json"
    allocations = json.loads(alloc_path.read_text()) if alloc_path.exists() else {}
    instructions_path = criterion / "instructions.json"
    instructions = json.loads(instructions_path.read_text()) if instructions_path.exists() else {}
    ratios_path = criterion / "ratios.json"
    interleaved = json.loads(ratios_path.read_text()) if ratios_path.exists() else {}
    run_path = criterion / "run.json"
    run = json.loads(run_path.read_text()) if run_path.exists() else {}
    info = machine()
    when = run.get("finished") or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    parts = ["# Benchmarks", ""]
    parts.append("Generated by `scripts/bench_report.py` from one run of the criterion benches in "
                 "`benches/` (the `oxios-metrics-benches` workspace member, `publish = false`). "
                 "Every number below is a criterion **median** from that one run; compare "
                 "ratios within a table, not absolute times across machines.")
    parts.append("")
    parts.append("Reproduce (one command, all cases, all peers):")
    parts.append("")
    parts.append("```sh\n" + REPRODUCE + "\n```")
    parts.append("")
    parts.append("or `python3 scripts/bench_report.py --run`, which runs the same `cargo bench` "
                 "and records its wall time and load.")
    parts.append("")
    parts.append("| machine | |")
    parts.append("|---|---|")
    parts.append(f"| date | {when} |")
    parts.append(f"| CPU | {info['cpu']} ({info['nproc']} cores, `nproc`) |")
    parts.append(f"| rustc | {info['rustc']} |")
    parts.append(f"| OS | {info['os']} |")
    stray = stray_results(criterion, run)
    spreads = sorted(v for group in spread.values() for v in group.values())
    if spreads:
        parts.append(f"| noise: half-width of each median's 95 % confidence interval | median "
                     f"{100 * spreads[len(spreads) // 2]:.1f} %, largest {100 * spreads[-1]:.1f} % "
                     f"(per row in the tables) |")
    if interleaved:
        parts.append(f"| interleaved rounds (`benches/ratios.rs`) | {interleaved['rounds']} rounds, "
                     f"load {interleaved['load_before']} before, {interleaved['load_after']} after |")
    if run:
        parts.append(f"| bench wall time | {run['wall_seconds']:.0f} s (`{' '.join(BENCH_COMMAND)}`, build included) |")
        parts.append(f"| load average before / after | {run['load_before']} / {run['load_after']} |")
    parts.append("")
    if stray:
        parts.append("**Warning:** these results were not written by the recorded run, so their "
                     "tables mix runs: " + ", ".join(f"`{name}`" for name in stray) + ".")
        parts.append("")
    versions = repo / "benches" / "Cargo.toml"
    if versions.exists():
        deps = re.findall(r'^(prometheus|prometheus-client|metrics|metrics-exporter-prometheus|measured|fastmetrics|autometrics|criterion)\s*=\s*(.+)$',
                          versions.read_text(), re.M)
        lock = (repo / "Cargo.lock").read_text() if (repo / "Cargo.lock").exists() else ""
        parts.append("Peers (exact versions from `Cargo.lock`; features as in `benches/Cargo.toml`):")
        parts.append("")
        for name, spec in deps:
            found = re.findall(r'name = "' + re.escape(name) + r'"\nversion = "([^"]+)"', lock)
            version = ", ".join(sorted(set(found))) if found else "?"
            parts.append(f"- `{name}` {version}: `{spec.strip()}`")
        parts.append("")

    parts.append("## Targets")
    parts.append("")
    parts.append(targets(results, allocations))
    parts.append("")

    parts.append("## Cases")
    parts.append("")
    for group, title, with_raw, what in CASES:
        rows = results.get(group)
        parts.append(f"### {title}")
        parts.append("")
        parts.append(what + f" (criterion group `{group}`.)")
        parts.append("")
        if not rows:
            parts.append("_No results in this run._")
            parts.append("")
            continue
        parts.append(case_table(group, rows, with_raw, allocations, spread.get(group, {}),
                                instructions, interleaved))
        parts.append("")

    left_out = left_out_text(repo)
    left_out.append("- `autometrics`, every case but timing a function: it instruments functions "
                    "(call counter and duration histogram per function) and offers no counter, "
                    "gauge, family, histogram or scrape of its own to compare.")
    left_out.append("- `metrics`, the two-thread case through the `counter!` macro: covered by its "
                    "one-thread macro row; the two-thread row uses the recorder's handle.")
    if left_out:
        parts.append("## Peers left out of a case")
        parts.append("")
        parts.extend(left_out)
        parts.append("")

    analysis = repo / "benches" / "ANALYSIS.md"
    if analysis.exists():
        parts.append(analysis.read_text().rstrip())
        parts.append("")
    return "\n".join(parts)


def run_benches(repo, tdir):
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    started_epoch = time.time()
    start = time.monotonic()
    subprocess.run(BENCH_COMMAND, cwd=repo, check=True)
    wall = time.monotonic() - start
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    criterion = tdir / "criterion"
    criterion.mkdir(parents=True, exist_ok=True)
    finished = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    (criterion / "run.json").write_text(json.dumps({
        "wall_seconds": wall, "load_before": load_before, "load_after": load_after,
        "finished": finished, "started_epoch": started_epoch, "finished_epoch": time.time()}))
    print(f"benchmarks took {wall:.0f} s", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", action="store_true", help="run the benches first")
    parser.add_argument("--target-dir", help="cargo target directory (default: $CARGO_TARGET_DIR or ./target)")
    parser.add_argument("--out", default="BENCHMARKS.md", help="output file (default: BENCHMARKS.md)")
    args = parser.parse_args()
    repo = Path(__file__).resolve().parent.parent
    tdir = target_dir(args.target_dir)
    if not tdir.is_absolute():
        tdir = repo / tdir
    if args.run:
        run_benches(repo, tdir)
    text = render(repo, tdir)
    out = Path(args.out)
    if not out.is_absolute():
        out = repo / out
    out.write_text(text)
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
