#!/usr/bin/env bash
# End to end with a real Prometheus: builds the demo kernel, serves its metrics on a free
# loopback port, lets a Prometheus server on loopback scrape it once a second, and checks
# through Prometheus' HTTP query API that the target is up, that counters equal what the demo
# itself serves, and that histogram_quantile over a demo histogram is a number. Runs three
# times: Prometheus negotiating OpenMetrics, then the text format 0.0.4, then (native
# histograms on, so Prometheus asks for it first) the protobuf format. With OpenMetrics and
# protobuf, exemplar storage is on too: /api/v1/query_exemplars must return the trace ids
# the demo's exemplars carry; with protobuf, histogram_quantile and histogram_count over the
# native histogram (no _bucket series) must be a number and the demo's count. Every process
# it starts is stopped on any exit; the whole run is bounded in time.
#
# Needs: cargo, curl, python3, prometheus and promtool (Debian: apt-get install -y prometheus).
# Environment: PROMETHEUS_BIN, PROMTOOL_BIN (default /usr/bin/...), E2E_TIME_LIMIT (seconds,
# default 900, including the build), CARGO_TARGET_DIR (honoured).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROMETHEUS_BIN="${PROMETHEUS_BIN:-/usr/bin/prometheus}"
PROMTOOL_BIN="${PROMTOOL_BIN:-/usr/bin/promtool}"
TIME_LIMIT="${E2E_TIME_LIMIT:-900}"

E2E_TAG=e2e
# shellcheck source=scripts/e2e_lib.sh
source "$ROOT/scripts/e2e_lib.sh"
e2e_begin

[[ -x "$PROMETHEUS_BIN" ]] || fail "no Prometheus at $PROMETHEUS_BIN (apt-get install -y prometheus)"
[[ -x "$PROMTOOL_BIN" ]] || fail "no promtool at $PROMTOOL_BIN (apt-get install -y prometheus)"
log "prometheus: $("$PROMETHEUS_BIN" --version 2>&1 | head -n 1)"

build_kernel

# Prints the trace_id label of every exemplar Prometheus holds for the series selected by $1
# over the last ten minutes, one per line (nothing if the query fails).
exemplar_trace_ids() {
    local now answer
    now="$(date +%s)"
    answer="$(curl -fsS --max-time 5 --get --data-urlencode "query=$1" \
        --data-urlencode "start=$((now - 600))" --data-urlencode "end=$((now + 60))" \
        "$STORE/api/v1/query_exemplars" 2>/dev/null)" || return 0
    python3 -c '
import json, sys
reply = json.loads(sys.argv[1])
if reply.get("status") == "success":
    for series in reply.get("data") or []:
        for exemplar in series.get("exemplars") or []:
            trace = exemplar.get("labels", {}).get("trace_id")
            if trace:
                print(trace)
' "$answer"
}

# Prints the trace_id of every exemplar on the lines of the OpenMetrics exposition in file $1
# whose sample name is $2, one per line.
served_trace_ids() {
    python3 -c '
import re, sys
name = sys.argv[1]
for line in sys.stdin:
    if line.startswith(name + "{") or line.startswith(name + " "):
        found = re.search(r" # \{[^}]*trace_id=\"([0-9a-f]+)\"", line)
        if found:
            print(found.group(1))
' "$2" <"$1"
}

# Succeeds when every line of file $2 is among the lines Prometheus returns for selector $1.
prometheus_has_exemplars() {
    local held
    held="$(exemplar_trace_ids "$1")"
    [[ -s "$2" ]] || return 1
    while read -r id; do
        grep -qx "$id" <<<"$held" || return 1
    done <"$2"
}

# Succeeds when Prometheus returns at least one exemplar for selector $1 whose trace id is a
# line of file $2.
prometheus_has_some_exemplar() {
    local held
    held="$(exemplar_trace_ids "$1")"
    [[ -n "$held" ]] && grep -qxF -f "$2" <<<"$held"
}

is_finite_number() { python3 -c 'import math, sys; sys.exit(0 if math.isfinite(float(sys.argv[1])) else 1)' "$1" 2>/dev/null; }

# Does this Prometheus accept `scrape_protocols` (2.49 and later)? Ask promtool.
SCRAPE_PROTOCOLS_SUPPORTED=false
probe="$WORK/probe.yml"
printf 'scrape_configs:\n  - job_name: probe\n    scrape_protocols: [PrometheusText0.0.4]\n    static_configs:\n      - targets: ["127.0.0.1:1"]\n' >"$probe"
if "$PROMTOOL_BIN" check config "$probe" >/dev/null 2>&1; then
    SCRAPE_PROTOCOLS_SUPPORTED=true
fi

run_case() {
    local name="$1" protocol="$2"
    local demo_log="$WORK/$name-demo.log" prom_log="$WORK/$name-prometheus.log"
    local demo_args=(--port 0 --summary-every 1)
    local protocols_line=""
    local prometheus_flags=()
    local exemplars=false
    if [[ "$protocol" == protobuf ]]; then
        # With native histograms on, Prometheus asks for protobuf first.
        prometheus_flags+=(--enable-feature=native-histograms,exemplar-storage)
        exemplars=true
        log "native histograms and exemplar storage on: Prometheus negotiates protobuf"
    elif [[ "$protocol" == openmetrics ]]; then
        prometheus_flags+=(--enable-feature=exemplar-storage)
        exemplars=true
        log "exemplar storage on"
    fi
    log "=== $name: Prometheus scraping in $protocol ==="
    if [[ "$protocol" == text ]]; then
        if $SCRAPE_PROTOCOLS_SUPPORTED; then
            protocols_line="    scrape_protocols: [PrometheusText0.0.4]"
            log "forcing text 0.0.4 with scrape_protocols: [PrometheusText0.0.4]"
        else
            # Prometheus before 2.49 always asks for OpenMetrics first and has no setting to
            # stop it, so the server side answers text 0.0.4 whatever is asked.
            demo_args+=(--format prometheus)
            log "this Prometheus has no scrape_protocols (added in 2.49); the demo runs with --format prometheus"
        fi
    fi

    "$KERNEL" "${demo_args[@]}" >"$demo_log" 2>&1 &
    local demo_pid=$!
    PIDS+=("$demo_pid")
    demo_started() {
        kill -0 "$demo_pid" 2>/dev/null || fail "$name: the demo exited early: $(tail -n 3 "$demo_log")"
        grep -q 'serving metrics at http://127.0.0.1:[0-9]*/metrics' "$demo_log"
    }
    wait_for 30 demo_started || fail "$name: the demo did not report its URL"
    local url port
    url="$(grep -o 'http://127.0.0.1:[0-9]*/metrics' "$demo_log" | head -n 1)"
    port="${url#http://127.0.0.1:}"
    port="${port%/metrics}"
    log "demo pid $demo_pid serving $url"

    PROM_PORT="$(free_port)"
    STORE="http://127.0.0.1:$PROM_PORT"
    local config="$WORK/$name-prometheus.yml"
    cat >"$config" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: kernel
    metrics_path: /metrics
$protocols_line
    static_configs:
      - targets: ["127.0.0.1:$port"]
YAML
    "$PROMTOOL_BIN" check config "$config" >/dev/null || fail "$name: promtool rejects the generated config"
    "$PROMETHEUS_BIN" "${prometheus_flags[@]}" --config.file="$config" --storage.tsdb.path="$WORK/$name-data" \
        --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$prom_log" 2>&1 &
    local prom_pid=$!
    PIDS+=("$prom_pid")
    prometheus_ready() {
        kill -0 "$prom_pid" 2>/dev/null || fail "$name: Prometheus exited early: $(tail -n 3 "$prom_log")"
        curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$PROM_PORT/-/ready" 2>/dev/null
    }
    wait_for 60 prometheus_ready ||
        fail "$name: Prometheus did not become ready on 127.0.0.1:$PROM_PORT"
    log "prometheus pid $prom_pid on 127.0.0.1:$PROM_PORT"

    up_is_one() { [[ "$(query 'up{job="kernel"}')" == 1 ]]; }
    check "$name: up{job=\"kernel\"} == 1" wait_for 30 up_is_one

    # Let Prometheus see the values move for a few scrapes, then freeze them: SIGUSR1 stops
    # the demo's workload while it keeps serving, so both sides can be compared exactly.
    seen_moving() {
        local samples
        samples="$(query 'count_over_time(oxios_agents_forked_total{job="kernel"}[1m])')"
        [[ "$samples" != none ]] && ((samples >= 4))
    }
    check "$name: Prometheus scraped the running workload at least 4 times" wait_for 60 seen_moving
    kill -USR1 "$demo_pid"
    wait_for 30 grep -q 'workload stopped (SIGUSR1)' "$demo_log" ||
        fail "$name: the demo's workload did not stop on SIGUSR1"
    log "workload stopped; the demo keeps serving"
    local exposition="$WORK/$name-exposition.txt"
    curl -fsS --max-time 5 -H 'Accept: text/plain' "$url" >"$exposition" || fail "$name: cannot read $url"
    local forked tool_calls messages
    forked="$(served_sum "$exposition" oxios_agents_forked_total)"
    tool_calls="$(served_sum "$exposition" oxios_tool_calls_total)"
    messages="$(served_sum "$exposition" oxios_session_messages_total)"
    log "the demo serves oxios_agents_forked_total=$forked, sum(oxios_tool_calls_total)=$tool_calls, sum(oxios_session_messages_total)=$messages"
    prometheus_has() { same_number "$(query "$1")" "$2"; }
    check "$name: Prometheus' oxios_agents_forked_total equals the demo's ($forked)" \
        wait_for 20 prometheus_has 'oxios_agents_forked_total{job="kernel"}' "$forked"
    check "$name: Prometheus' sum(oxios_tool_calls_total) equals the demo's ($tool_calls)" \
        wait_for 20 prometheus_has 'sum(oxios_tool_calls_total{job="kernel"})' "$tool_calls"
    check "$name: Prometheus' sum(oxios_session_messages_total) over the session family equals the demo's ($messages)" \
        wait_for 20 prometheus_has 'sum(oxios_session_messages_total{job="kernel"})' "$messages"
    check "$name: the counter is not trivially zero" python3 -c "import sys; sys.exit(0 if float('$forked') > 0 else 1)"

    local quantile_query='histogram_quantile(0.9, sum by (le) (rate(oxios_orchestration_duration_seconds_bucket{job="kernel"}[1m])))'
    local p90
    p90="$(query "$quantile_query")"
    check "$name: $quantile_query is a number ($p90)" is_finite_number "$p90"

    # The LLM latency histogram is native with classic buckets alongside: text scrapers see
    # the buckets, Prometheus scraping protobuf with native histograms on the native one.
    local llm_count
    llm_count="$(served_sum "$exposition" oxios_llm_latency_seconds_count)"
    if [[ "$protocol" == protobuf ]]; then
        local native_query='histogram_quantile(0.9, sum(rate(oxios_llm_latency_seconds{job="kernel"}[1m])))'
        local native_p90
        native_p90="$(query "$native_query")"
        check "$name: $native_query over the native histogram is a number ($native_p90)" \
            is_finite_number "$native_p90"
        check "$name: histogram_count(sum(oxios_llm_latency_seconds)) equals the demo's count ($llm_count)" \
            wait_for 20 prometheus_has 'histogram_count(sum(oxios_llm_latency_seconds{job="kernel"}))' "$llm_count"
        check "$name: no classic _bucket series stored beside the native one" \
            test "$(query 'count(oxios_llm_latency_seconds_bucket{job="kernel"})')" == none
    else
        local classic_query='histogram_quantile(0.9, sum by (le) (rate(oxios_llm_latency_seconds_bucket{job="kernel"}[1m])))'
        local classic_p90
        classic_p90="$(query "$classic_query")"
        check "$name: $classic_query over the classic buckets kept beside the native ones is a number ($classic_p90)" \
            is_finite_number "$classic_p90"
    fi

    if $exemplars; then
        # The demo's exemplars as they stand once frozen, read in OpenMetrics.
        local frozen="$WORK/$name-openmetrics.txt"
        curl -fsS --max-time 5 -H 'Accept: application/openmetrics-text; version=1.0.0' "$url" >"$frozen" ||
            fail "$name: cannot read $url in OpenMetrics"
        local token_ids="$WORK/$name-token-ids" agent_ids="$WORK/$name-agent-ids" llm_ids="$WORK/$name-llm-ids"
        served_trace_ids "$frozen" oxios_llm_tokens_total >"$token_ids"
        served_trace_ids "$frozen" oxios_agent_duration_seconds_bucket >"$agent_ids"
        served_trace_ids "$frozen" oxios_llm_latency_seconds_bucket >"$llm_ids"
        log "the demo's exemplars: $(wc -l <"$token_ids") on oxios_llm_tokens_total ($(head -n 1 "$token_ids")...), $(wc -l <"$agent_ids") on oxios_agent_duration_seconds buckets, $(wc -l <"$llm_ids") on oxios_llm_latency_seconds buckets"
        check "$name: query_exemplars returns the trace id of every exemplar on oxios_llm_tokens_total ($(wc -l <"$token_ids"))" \
            wait_for 20 prometheus_has_exemplars 'oxios_llm_tokens_total{job="kernel"}' "$token_ids"
        check "$name: query_exemplars returns the trace id of every exemplar on the oxios_agent_duration_seconds buckets ($(wc -l <"$agent_ids"))" \
            wait_for 20 prometheus_has_exemplars 'oxios_agent_duration_seconds_bucket{job="kernel"}' "$agent_ids"
        local native_series=oxios_llm_latency_seconds_bucket
        [[ "$protocol" == protobuf ]] && native_series=oxios_llm_latency_seconds
        check "$name: query_exemplars returns the demo's exemplars on $native_series" \
            wait_for 20 prometheus_has_some_exemplar "$native_series{job=\"kernel\"}" "$llm_ids"
        log "Prometheus holds $(exemplar_trace_ids '{job="kernel"}' | wc -l) exemplars of the demo, e.g. trace_id=$(exemplar_trace_ids "$native_series{job=\"kernel\"}" | head -n 1) on $native_series"
    fi
    local rss
    rss="$(query 'process_resident_memory_bytes{job="kernel"}')"
    check "$name: the process collector's process_resident_memory_bytes is positive ($rss)" \
        python3 -c "import sys; sys.exit(0 if float('$rss') > 0 else 1)"
    local samples
    samples="$(query 'scrape_samples_scraped{job="kernel"}')"
    check "$name: scrape_samples_scraped is positive ($samples)" python3 -c "import sys; sys.exit(0 if float('$samples') > 0 else 1)"

    stop_pid "$prom_pid" TERM 20
    log "prometheus stopped (exit $STOP_STATUS)"
    stop_pid "$demo_pid" INT 20
    check "$name: the demo stops cleanly on Ctrl-C (SIGINT), exit 0" test "$STOP_STATUS" -eq 0
    check "$name: the demo says it stopped cleanly" grep -q 'stopped cleanly (Ctrl-C)' "$demo_log"

    # The demo counts the format it answered each scrape with. The script's own reads of
    # /metrics above asked for text 0.0.4 and (with exemplars) OpenMetrics; every other
    # scrape was Prometheus'.
    local served openmetrics text protobuf
    served="$(grep -o 'served [0-9]* scrapes in OpenMetrics and [0-9]* in text 0.0.4 and [0-9]* in protobuf' "$demo_log" | tail -n 1)"
    openmetrics="$(sed -E 's/served ([0-9]+) scrapes.*/\1/' <<<"$served")"
    text="$(sed -E 's/.* and ([0-9]+) in text.*/\1/' <<<"$served")"
    protobuf="$(sed -E 's/.* and ([0-9]+) in protobuf.*/\1/' <<<"$served")"
    if [[ "$protocol" == protobuf ]]; then
        check "$name: Prometheus got protobuf ($protobuf scrapes; OpenMetrics and text only the script's reads, $openmetrics and $text)" \
            test "$protobuf" -gt 0 -a "$openmetrics" -eq 1 -a "$text" -eq 1
    elif [[ "$protocol" == openmetrics ]]; then
        check "$name: Prometheus got OpenMetrics ($openmetrics scrapes, of which 1 the script's; text 0.0.4 only for the script's $text read)" \
            test "$openmetrics" -gt 1 -a "$text" -eq 1
    else
        check "$name: Prometheus got text 0.0.4 ($text scrapes, of which 1 the script's; OpenMetrics $openmetrics)" \
            test "$text" -gt 1 -a "$openmetrics" -eq 0
    fi
    eval "SERVED_$name=\"\$served\""
    log "demo's last words: $(tail -n 1 "$demo_log")"
}

run_case negotiated openmetrics
run_case forced text
run_case protobuf protobuf

log "formats the demo answered with: negotiated run: ${SERVED_negotiated}; forced run: ${SERVED_forced}; protobuf run: ${SERVED_protobuf}"
log "PASSED: $CHECKS checks"
