#!/usr/bin/env bash
# End to end beyond one machine: an agent scrapes the demo kernel and forwards its samples
# over the Prometheus remote-write protocol to a central store, and the central store's query
# API must return the demo's values. Two pipelines, each on loopback with free ports:
#
#   prometheus:  Prometheus in agent mode (--enable-feature=agent)  ->  a Prometheus server
#                started with --web.enable-remote-write-receiver and no scrape jobs of its own
#   victoria:    vmagent  ->  VictoriaMetrics single-node (which scrapes nothing either)
#
# For each: the demo's target is up in the central store, the store saw the running workload
# move, and after the workload is frozen (SIGUSR1) the store's counters equal what the demo
# itself serves; the store's own metrics show remote-write ingestion. Every process it starts
# is stopped by its PID on any exit; the whole run is bounded in time.
#
# Needs: cargo, curl, python3; prometheus and promtool (Debian: prometheus), vmagent and
# victoria-metrics (Debian: victoria-metrics).
# Environment: PROMETHEUS_BIN, PROMTOOL_BIN, VMAGENT_BIN, VICTORIA_METRICS_BIN (default
# /usr/bin/...), E2E_TIME_LIMIT (seconds, default 900, including the build), E2E_PIPELINES
# (default "prometheus victoria"), CARGO_TARGET_DIR (honoured).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROMETHEUS_BIN="${PROMETHEUS_BIN:-/usr/bin/prometheus}"
PROMTOOL_BIN="${PROMTOOL_BIN:-/usr/bin/promtool}"
VMAGENT_BIN="${VMAGENT_BIN:-/usr/bin/vmagent}"
VICTORIA_METRICS_BIN="${VICTORIA_METRICS_BIN:-/usr/bin/victoria-metrics}"
TIME_LIMIT="${E2E_TIME_LIMIT:-900}"
PIPELINES="${E2E_PIPELINES:-prometheus victoria}"

E2E_TAG=e2e-rw
# shellcheck source=scripts/e2e_lib.sh
source "$ROOT/scripts/e2e_lib.sh"
e2e_begin

for pipeline in $PIPELINES; do
    case "$pipeline" in
    prometheus)
        [[ -x "$PROMETHEUS_BIN" ]] || fail "no Prometheus at $PROMETHEUS_BIN (apt-get install -y prometheus)"
        [[ -x "$PROMTOOL_BIN" ]] || fail "no promtool at $PROMTOOL_BIN (apt-get install -y prometheus)"
        log "prometheus: $("$PROMETHEUS_BIN" --version 2>&1 | head -n 1)"
        ;;
    victoria)
        [[ -x "$VMAGENT_BIN" ]] || fail "no vmagent at $VMAGENT_BIN (apt-get install -y victoria-metrics)"
        [[ -x "$VICTORIA_METRICS_BIN" ]] ||
            fail "no VictoriaMetrics at $VICTORIA_METRICS_BIN (apt-get install -y victoria-metrics)"
        log "victoria-metrics: $(dpkg-query -W -f '${Version}' victoria-metrics 2>/dev/null || echo "version unknown")"
        ;;
    *) fail "unknown pipeline $pipeline (E2E_PIPELINES takes prometheus and victoria)" ;;
    esac
done

build_kernel

positive() { python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0 else 1)' "$1" 2>/dev/null; }

# Sum of the samples named $2 in the exposition served at $1 that carry every label pair
# given after it (as name="value").
scraped_sum() {
    local exposition
    exposition="$(curl -fsS --max-time 5 "$1" 2>/dev/null)" || {
        echo 0
        return
    }
    shift
    python3 -c '
import sys
name, wanted = sys.argv[1], sys.argv[2:]
total = 0.0
for line in sys.stdin:
    series, _, value = line.strip().rpartition(" ")
    sample, _, labels = series.partition("{")
    if sample == name and all(pair in labels.rstrip("}").split(",") for pair in wanted):
        total += float(value)
print(repr(total))
' "$@" <<<"$exposition"
}

# Starts a process in the background, logging to $WORK/$1.log; sets STARTED_PID.
start() {
    local name="$1"
    shift
    "$@" >"$WORK/$name.log" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}

# Waits until $2 answers 200 at $3 while process $1 lives.
await_http() {
    local pid="$1" what="$2" url="$3"
    answers() {
        kill -0 "$pid" 2>/dev/null || fail "$what exited early: $(tail -n 3 "$WORK/$what.log")"
        curl -fsS --max-time 2 -o /dev/null "$url" 2>/dev/null
    }
    wait_for 60 answers || fail "$what did not answer at $url"
}

# Starts the demo; sets DEMO_PID, DEMO_URL, DEMO_PORT.
start_demo() {
    local name="$1"
    start "$name-demo" "$KERNEL" --port 0 --summary-every 1
    DEMO_PID=$STARTED_PID
    demo_started() {
        kill -0 "$DEMO_PID" 2>/dev/null || fail "$name: the demo exited early: $(tail -n 3 "$WORK/$name-demo.log")"
        grep -q 'serving metrics at http://127.0.0.1:[0-9]*/metrics' "$WORK/$name-demo.log"
    }
    wait_for 30 demo_started || fail "$name: the demo did not report its URL"
    DEMO_URL="$(grep -o 'http://127.0.0.1:[0-9]*/metrics' "$WORK/$name-demo.log" | head -n 1)"
    DEMO_PORT="${DEMO_URL#http://127.0.0.1:}"
    DEMO_PORT="${DEMO_PORT%/metrics}"
    log "demo pid $DEMO_PID serving $DEMO_URL"
}

# The checks both pipelines share, against the central store at $STORE: the target is up,
# the running workload was seen, and the frozen counters equal the demo's.
check_store() {
    local name="$1" agent="$2" store="$3"
    up_is_one() { [[ "$(query 'up{job="kernel"}')" == 1 ]]; }
    check "$name: $store has up{job=\"kernel\"} == 1, remote-written by $agent" wait_for 60 up_is_one

    seen_moving() {
        local samples
        samples="$(query 'count_over_time(oxios_agents_forked_total{job="kernel"}[1m])')"
        [[ "$samples" != none ]] && ((samples >= 4))
    }
    check "$name: $store received at least 4 samples of the running workload" wait_for 60 seen_moving

    kill -USR1 "$DEMO_PID"
    wait_for 30 grep -q 'workload stopped (SIGUSR1)' "$WORK/$name-demo.log" ||
        fail "$name: the demo's workload did not stop on SIGUSR1"
    log "workload stopped; the demo keeps serving"
    local exposition="$WORK/$name-exposition.txt"
    curl -fsS --max-time 5 -H 'Accept: text/plain' "$DEMO_URL" >"$exposition" ||
        fail "$name: cannot read $DEMO_URL"
    local forked tool_calls messages
    forked="$(served_sum "$exposition" oxios_agents_forked_total)"
    tool_calls="$(served_sum "$exposition" oxios_tool_calls_total)"
    messages="$(served_sum "$exposition" oxios_session_messages_total)"
    log "the demo serves oxios_agents_forked_total=$forked, sum(oxios_tool_calls_total)=$tool_calls, sum(oxios_session_messages_total)=$messages"
    check "$name: the counter is not trivially zero" positive "$forked"
    store_has() { same_number "$(query "$1")" "$2"; }
    check "$name: in $store, oxios_agents_forked_total equals the demo's ($forked)" \
        wait_for 30 store_has 'oxios_agents_forked_total{job="kernel"}' "$forked"
    check "$name: in $store, sum(oxios_tool_calls_total) equals the demo's ($tool_calls)" \
        wait_for 30 store_has 'sum(oxios_tool_calls_total{job="kernel"})' "$tool_calls"
    check "$name: in $store, sum(oxios_session_messages_total) over the session family equals the demo's ($messages)" \
        wait_for 30 store_has 'sum(oxios_session_messages_total{job="kernel"})' "$messages"
    local rss
    rss="$(query 'process_resident_memory_bytes{job="kernel"}')"
    check "$name: the process collector's process_resident_memory_bytes arrived, positive ($rss)" positive "$rss"
}

finish_demo() {
    local name="$1"
    stop_pid "$DEMO_PID" INT 20
    check "$name: the demo stops cleanly on Ctrl-C (SIGINT), exit 0" test "$STOP_STATUS" -eq 0
}

scrape_config() { # port -> the scrape_configs section both agents read
    cat <<YAML
scrape_configs:
  - job_name: kernel
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:$1"]
YAML
}

run_prometheus_pipeline() {
    local name=prometheus
    log "=== $name: Prometheus agent -> remote write -> Prometheus receiver ==="
    start_demo "$name"

    local central_port agent_port
    central_port="$(free_port)"
    # The receiver scrapes nothing: every sample it holds came through remote write.
    printf 'global:\n  evaluation_interval: 1s\n' >"$WORK/central.yml"
    "$PROMTOOL_BIN" check config "$WORK/central.yml" >/dev/null || fail "$name: promtool rejects the central config"
    start central-prometheus "$PROMETHEUS_BIN" --config.file="$WORK/central.yml" \
        --storage.tsdb.path="$WORK/central-data" --web.listen-address="127.0.0.1:$central_port" \
        --web.enable-remote-write-receiver --log.level=warn
    local central_pid=$STARTED_PID
    STORE="http://127.0.0.1:$central_port"
    await_http "$central_pid" central-prometheus "$STORE/-/ready"
    log "central Prometheus pid $central_pid on 127.0.0.1:$central_port (remote-write receiver)"
    no_targets() {
        curl -fsS --max-time 5 "$STORE/api/v1/targets" 2>/dev/null | python3 -c '
import json, sys
sys.exit(0 if json.load(sys.stdin)["data"]["activeTargets"] == [] else 1)'
    }
    check "$name: the central Prometheus scrapes no target itself" no_targets

    agent_port="$(free_port)"
    {
        printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n'
        scrape_config "$DEMO_PORT"
        cat <<YAML
remote_write:
  - url: $STORE/api/v1/write
    queue_config:
      batch_send_deadline: 1s
      min_backoff: 100ms
      max_backoff: 1s
YAML
    } >"$WORK/agent.yml"
    start prometheus-agent "$PROMETHEUS_BIN" --enable-feature=agent --config.file="$WORK/agent.yml" \
        --storage.agent.path="$WORK/agent-wal" --web.listen-address="127.0.0.1:$agent_port" --log.level=warn
    local agent_pid=$STARTED_PID
    await_http "$agent_pid" prometheus-agent "http://127.0.0.1:$agent_port/-/ready"
    log "Prometheus agent pid $agent_pid on 127.0.0.1:$agent_port"
    agent_refuses_queries() {
        curl -s --max-time 5 "http://127.0.0.1:$agent_port/api/v1/query?query=up" | grep -q 'unavailable with Prometheus Agent'
    }
    check "$name: the scraper runs in agent mode (its query API answers \"unavailable with Prometheus Agent\")" \
        agent_refuses_queries

    check_store "$name" "the Prometheus agent" "the central Prometheus"

    local sent received
    sent="$(scraped_sum "http://127.0.0.1:$agent_port/metrics" prometheus_remote_storage_samples_total)"
    check "$name: the agent counts remote-written samples ($sent)" positive "$sent"
    received="$(scraped_sum "$STORE/metrics" prometheus_http_requests_total 'code="204"' 'handler="/api/v1/write"')"
    check "$name: the central Prometheus answered remote-write requests with 204 ($received)" positive "$received"

    stop_pid "$agent_pid" TERM 20
    log "Prometheus agent stopped (exit $STOP_STATUS)"
    stop_pid "$central_pid" TERM 20
    log "central Prometheus stopped (exit $STOP_STATUS)"
    finish_demo "$name"
}

run_victoria_pipeline() {
    local name=victoria
    log "=== $name: vmagent -> remote write -> VictoriaMetrics ==="
    start_demo "$name"

    local vm_port vmagent_port
    vm_port="$(free_port)"
    # Fresh points are visible at once (the default hides the last 30 s) and answers are
    # never served from the cache, so a query sees the newest samples written.
    start victoria-metrics "$VICTORIA_METRICS_BIN" -storageDataPath="$WORK/vm-data" \
        -httpListenAddr="127.0.0.1:$vm_port" -retentionPeriod=1d -search.latencyOffset=0s \
        -search.disableCache -loggerLevel=WARN
    local vm_pid=$STARTED_PID
    STORE="http://127.0.0.1:$vm_port"
    await_http "$vm_pid" victoria-metrics "$STORE/health"
    log "VictoriaMetrics pid $vm_pid on 127.0.0.1:$vm_port"

    vmagent_port="$(free_port)"
    {
        printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n'
        scrape_config "$DEMO_PORT"
    } >"$WORK/vmagent.yml"
    start vmagent "$VMAGENT_BIN" -promscrape.config="$WORK/vmagent.yml" \
        -remoteWrite.url="$STORE/api/v1/write" -remoteWrite.tmpDataPath="$WORK/vmagent-data" \
        -remoteWrite.flushInterval=1s -httpListenAddr="127.0.0.1:$vmagent_port" -loggerLevel=WARN
    local vmagent_pid=$STARTED_PID
    await_http "$vmagent_pid" vmagent "http://127.0.0.1:$vmagent_port/health"
    log "vmagent pid $vmagent_pid on 127.0.0.1:$vmagent_port"

    check_store "$name" "vmagent" "VictoriaMetrics"

    local received
    received="$(scraped_sum "$STORE/metrics" vm_rows_inserted_total 'type="promremotewrite"')"
    check "$name: VictoriaMetrics counts rows inserted over Prometheus remote write ($received)" positive "$received"

    stop_pid "$vmagent_pid" TERM 20
    log "vmagent stopped (exit $STOP_STATUS)"
    stop_pid "$vm_pid" TERM 20
    log "VictoriaMetrics stopped (exit $STOP_STATUS)"
    finish_demo "$name"
}

for pipeline in $PIPELINES; do
    "run_${pipeline}_pipeline"
done

log "PASSED: $CHECKS checks"
