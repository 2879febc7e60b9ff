# Shared by the end-to-end scripts (sourced, not run): logging, the watchdog, stopping the
# processes a run started by PID on any exit, building the demo, and the small queries and
# number comparisons their checks are made of.
#
# Before sourcing, a script sets E2E_TAG (the log prefix), TIME_LIMIT (seconds) and ROOT; it
# then calls e2e_begin. Every process it starts goes into PIDS. `query` asks the store at
# $STORE (a base URL such as http://127.0.0.1:9090).

log() { printf '[%s %4ds] %s\n' "$E2E_TAG" "$SECONDS" "$*"; }
fail() {
    printf '[%s %4ds] FAIL: %s\n' "$E2E_TAG" "$SECONDS" "$*" >&2
    exit 1
}

stop_pid() { # pid signal seconds -> sets STOP_STATUS (exit status, or 124 if it had to be killed)
    local pid="$1" signal="$2" limit="$3" waited=0
    kill "-$signal" "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((waited < limit * 10)); do
        sleep 0.1
        waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        STOP_STATUS=124
    elif wait "$pid" 2>/dev/null; then
        STOP_STATUS=0
    else
        STOP_STATUS=$?
    fi
    local kept=()
    for other in "${PIDS[@]}"; do
        [[ "$other" == "$pid" ]] || kept+=("$other")
    done
    PIDS=("${kept[@]}")
}

e2e_cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n "$WATCHDOG" ]]; then
        kill "$WATCHDOG" 2>/dev/null || true
        wait "$WATCHDOG" 2>/dev/null || true
    fi
    if ((status != 0)); then
        for file in "$WORK"/*.log; do
            [[ -f "$file" ]] || continue
            echo "----- last lines of $(basename "$file") -----" >&2
            tail -n 15 "$file" >&2
        done
        echo "$E2E_TAG: FAILED (exit $status)" >&2
    fi
    rm -rf "$WORK"
    exit "$status"
}

# Makes the work directory, installs the exit traps and starts the watchdog, which ends a run
# that overstays TIME_LIMIT (each wait is bounded as well). The watchdog's sleep is killed
# with it, so nothing of the script outlives the script.
e2e_begin() {
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/oxios-$E2E_TAG.XXXXXX")"
    PIDS=()
    WATCHDOG=""
    CHECKS=0
    trap e2e_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    (
        trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
        sleep "$TIME_LIMIT" >/dev/null 2>&1 &
        sleeper=$!
        wait "$sleeper"
        echo "$E2E_TAG: time limit of ${TIME_LIMIT}s reached" >&2
        kill -TERM $$ 2>/dev/null
    ) &
    WATCHDOG=$!
    for tool in cargo curl python3; do
        command -v "$tool" >/dev/null || fail "$tool is required"
    done
}

# Builds the demo kernel in release; sets KERNEL.
build_kernel() {
    log "building the demo kernel (release)"
    (cd "$ROOT" && timeout "$TIME_LIMIT" cargo build --release --quiet -p oxios-metrics-examples --bin kernel) ||
        fail "cargo build of the demo failed"
    KERNEL="${CARGO_TARGET_DIR:-$ROOT/target}/release/kernel"
    [[ -x "$KERNEL" ]] || fail "built demo not found at $KERNEL"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Prints the value of an instant query against the store at $STORE that returns exactly one
# sample, or "none".
query() {
    local answer
    answer="$(curl -fsS --max-time 5 --get --data-urlencode "query=$1" \
        "$STORE/api/v1/query" 2>/dev/null)" || {
        echo none
        return
    }
    python3 -c '
import json, sys
reply = json.loads(sys.argv[1])
result = reply.get("data", {}).get("result", [])
if reply.get("status") != "success" or len(result) != 1:
    print("none")
else:
    print(result[0]["value"][1])
' "$answer"
}

# Prints the sum of the values of the samples named $2 in the exposition saved in file $1.
served_sum() {
    python3 -c '
import sys
name = sys.argv[1]
total = 0.0
for line in sys.stdin:
    if line.startswith(name + " ") or line.startswith(name + "{"):
        total += float(line.rsplit(" ", 1)[1])
print(repr(total))
' "$2" <"$1"
}

same_number() { python3 -c 'import sys; a, b = map(float, sys.argv[1:]); sys.exit(0 if a == b else 1)' "$1" "$2" 2>/dev/null; }

# Waits up to $1 seconds for the command in the other arguments to succeed.
wait_for() {
    local limit="$1" tries=0
    shift
    until "$@"; do
        tries=$((tries + 1))
        ((tries < limit * 4)) || return 1
        sleep 0.25
    done
}

check() { # description, then the command that must succeed
    local what="$1"
    shift
    "$@" || fail "$what"
    CHECKS=$((CHECKS + 1))
    log "ok: $what"
}
