#!/usr/bin/env bash
# Measures POST /api/move latency per computer level with wrk, and the computer's think time from the
# app's own tictactoe_computer_think_seconds histogram. Server on core 0, wrk on core 1.
# Usage: bench/move-latency.sh [seconds per level, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
port=${PORT:-18400}
for tool in wrk taskset curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install ${tool/taskset/util-linux}" >&2; exit 1; }
done
# shellcheck source=bench/lib.sh
source bench/lib.sh
mvn -B -q package -DskipTests >&2

log=$(mktemp)
# The shipped flags (bench/lib.sh), as every bench script runs the app.
# shellcheck disable=SC2086 # the flags split into words on purpose
PORT=$port HOST=127.0.0.1 REPLICA=bench taskset -c 0 java $SHIPPED_FLAGS -jar target/tictactoe.jar >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log"' EXIT
await_answer "http://127.0.0.1:$port/healthz" "$server" "$log"

think() { # prints "count sum" of the think-time histogram for one level
    curl -s "http://127.0.0.1:$port/metrics?name[]=tictactoe_computer_think_seconds" \
        | awk -v l="level=\"$1\"" 'index($0, l) && /_count/ {c=$2} index($0, l) && /_sum/ {s=$2} END {print c, s}'
}

echo "java: $(java -version 2>&1 | head -1); $(nproc) cores; server on core 0 with $SHIPPED_FLAGS, wrk -t1 on core 1"
echo "think mean: from the app's histogram over the same run (wall time, so it includes any preemption)"
printf '%-8s %11s %12s %10s %10s %12s\n' level connections requests/s p50 p99 "think mean"
# Warm-up: every level's code path, long enough for the JIT to compile the hot methods.
for level in easy medium perfect easy medium perfect; do
    LEVEL=$level taskset -c 1 wrk -t1 -c16 -d3s -s bench/move.lua "http://127.0.0.1:$port/api/move" >/dev/null
done
for level in easy medium perfect; do
    for connections in 1 16; do
        read -r c0 s0 < <(think "$level")
        out=$(LEVEL=$level taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/move.lua \
            "http://127.0.0.1:$port/api/move")
        read -r c1 s1 < <(think "$level")
        rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
        p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        mean=$(awk -v c0="$c0" -v c1="$c1" -v s0="$s0" -v s1="$s1" 'BEGIN {printf "%.2f us", (s1 - s0) / (c1 - c0) * 1e6}')
        printf '%-8s %11s %12s %10s %10s %12s\n' "$level" "$connections" "$rps" "$p50" "$p99" "$mean"
        if grep -q "Non-2xx" <<<"$out"; then grep "Non-2xx" <<<"$out"; fi
    done
done
