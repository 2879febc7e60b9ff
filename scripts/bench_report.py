#!/usr/bin/env python3
"""Turns the criterion results of `oxios-metrics-benches` into BENCHMARKS.md.

Reads every `<target>/criterion/<group>/<bench>/new/{benchmark,estimates}.json` (the median
point estimate of the last run), `<target>/criterion/allocations.json` (written by the
`allocations` bench) and, when present, `<target>/criterion/run.json` (wall time and load of
the run, written by `--run`), and writes one table per case, the §10 targets with their
verdicts, and the hand-written analysis kept in `benches/ANALYSIS.md`.

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
     "constructors put them (inside an `Arc`). On two cores shared with other work this case "
     "is the noisiest of all."),
    ("gauge_set", "Gauge `set`", True, "One store of a new value."),
    ("fixed_family_inc", "Fixed two-label family `get(..).inc()`, cycling 6 combinations", False,
     "Look up the series of the next (tool, outcome) pair in a shuffled cycle, then increment it."),
    ("dynamic_family_inc", "Dynamic one-label family, 1,000 string values", False,
     "Look up the series of the next of 1,000 user names (all series exist), then increment it."),
    ("histogram_observe", "Histogram `observe`, 10 buckets", False,
     "One observation; the values hit every bucket and `+Inf` in a shuffled order."),
    ("encode_10k_prometheus_0_0_4", "Encode 10,000 series, text 0.0.4", False,
     "A scrape of one counter family with 10,000 `path` values into a cleared, reused buffer."),
    ("encode_10k_openmetrics_1_0", "Encode 10,000 series, OpenMetrics 1.0", False,
     "The same scrape in OpenMetrics (with `# EOF`)."),
    ("timed_call", "Timing a function call", False,
     "A call of an empty `#[inline(never)]` function, untimed and with each way of timing it."),
]

# Rows that are references, not peers, in the ours / best-peer ratio.
REFERENCE_ROWS = ("no timing", "two Instant::now", "design probe")


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
    """{group: {bench: median nanoseconds}} from the last criterion run."""
    results = {}
    for estimates in sorted(criterion.glob("*/*/new/estimates.json")):
        meta_path = estimates.parent / "benchmark.json"
        if not meta_path.exists():
            continue
        meta = json.loads(meta_path.read_text())
        median = json.loads(estimates.read_text())["median"]["point_estimate"]
        results.setdefault(meta["group_id"], {})[meta["function_id"]] = median
    return results


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


def case_table(group, rows, with_raw, allocations):
    ours = primary_ours(rows)
    raw = rows.get(RAW)
    header = ["implementation", "median"]
    if with_raw and raw:
        header.append("× raw atomic")
    if ours:
        header.append("× oxios-metrics")
    alloc = allocations.get(group)
    if alloc:
        header += ["allocations / scrape", "bytes / scrape"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, ns in sorted(rows.items(), key=lambda item: item[1]):
        label = f"**{name}**" if is_ours(name) else name
        cells = [label, fmt_time(ns)]
        if with_raw and raw:
            cells.append(f"{ns / raw:.2f}")
        if ours:
            cells.append(f"{ns / rows[ours]:.2f}")
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
    out = []

    def get(group, name):
        return results.get(group, {}).get(name)

    raw, ours = get("counter_inc", RAW), get("counter_inc", OURS)
    if raw and ours:
        ratio = ours / raw
        out.append(f"| counter `inc` within 1.1× of the raw atomic | {fmt_time(ours)} vs "
                   f"{fmt_time(raw)} = {ratio:.2f}× | {verdict(ratio <= 1.1)} |")
    raw2, ours2 = get("counter_inc_2_threads", RAW), get("counter_inc_2_threads", OURS)
    if raw2 and ours2:
        ratio = ours2 / raw2
        out.append(f"| (not a §10 target: two threads on one counter, the same instruction as the raw "
                   f"atomic; see the analysis) | {fmt_time(ours2)} vs {fmt_time(raw2)} = {ratio:.2f}× | "
                   f"informational |")

    family = get("fixed_family_inc", OURS)
    same_loop = get("fixed_family_inc", "oxios-metrics (plain Counter, same loop)")
    if family and same_loop:
        ratio = family / same_loop
        line = (f"| fixed-label `get().inc()` within 1.5× of a plain counter | {fmt_time(family)} vs "
                f"{fmt_time(same_loop)} (plain counter, same cycling loop) = {ratio:.2f}×")
        if ours:
            line += f"; vs `counter_inc` {fmt_time(ours)} = {family / ours:.2f}×"
        out.append(line + f" | {verdict(ratio <= 1.5)} |")

    rows = results.get("histogram_observe", {})
    if OURS in rows:
        peer, peer_ns = best_peer(rows)
        if peer_ns:
            ratio = rows[OURS] / peer_ns
            out.append(f"| histogram `observe` at or below the best peer | {fmt_time(rows[OURS])} vs "
                       f"{peer} {fmt_time(peer_ns)} = {ratio:.2f}× | {verdict(ratio <= 1.0)} |")

    for group, title in [("encode_10k_prometheus_0_0_4", "text 0.0.4"),
                         ("encode_10k_openmetrics_1_0", "OpenMetrics")]:
        rows = results.get(group, {})
        if OURS not in rows:
            continue
        peer, peer_ns = best_peer(rows)
        allocs = allocations.get(group, {}).get(OURS, {}).get("allocations_per_scrape")
        if peer_ns is None:
            continue
        ratio = rows[OURS] / peer_ns
        alloc_text = "allocations not measured" if allocs is None else f"{allocs:g} allocations per scrape"
        met = ratio <= 0.5 and allocs == 0
        out.append(f"| encode 10,000 series ({title}) ≤ 0.5× best peer, zero allocations | "
                   f"{fmt_time(rows[OURS])} vs {peer} {fmt_time(peer_ns)} = {ratio:.2f}×, "
                   f"{alloc_text} | {verdict(met)} |")

    rows = results.get("timed_call", {})
    by_hand = next((v for n, v in rows.items() if n.startswith("two Instant::now")), None)
    timed_name = next((n for n in rows if n.startswith(OURS) and "#[timed]" in n), None)
    stand_in = False
    if timed_name is None:
        timed_name = next((n for n in rows if n.startswith(OURS)), None)
        stand_in = True
    if by_hand and timed_name:
        ratio = rows[timed_name] / by_hand
        note = " (the `#[timed]` attribute had not landed; its guard stands in)" if stand_in else ""
        out.append(f"| `#[timed]` within 1.2× of two `Instant::now()` + one `observe` | "
                   f"`{timed_name}` {fmt_time(rows[timed_name])} vs {fmt_time(by_hand)} = "
                   f"{ratio:.2f}×{note} | {verdict(ratio <= 1.2)} |")
    header = ["| target (DESIGN §10) | measured (medians, same run) | verdict |", "|---|---|---|"]
    return "\n".join(header + out)


def left_out_text(repo):
    """Peers that cannot express a case, parsed from the benches' LEFT_OUT table."""
    source = (repo / "benches" / "src" / "exposition.rs").read_text()
    entries = re.findall(r'\(\s*"([^"]+)",\s*TextFormat::(\w+),\s*"([^"]+)",?\s*\)', source)
    return [f"- `{peer}`, {'OpenMetrics' if fmt == 'OpenMetrics' else 'text 0.0.4'}: {why}."
            for peer, fmt, why in entries]


def render(repo, tdir):
    criterion = tdir / "criterion"
    results = read_results(criterion)
    alloc_path = criterion / "allocations.json"
    allocations = json.loads(alloc_path.read_text()) if alloc_path.exists() else {}
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
        parts.append(case_table(group, rows, with_raw, allocations))
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
