#!/usr/bin/env bash
# Before/after of a change: builds the jar of two git revisions and measures them side by side, both servers alive on
# core 0 and measured in alternation (wrk on core 1), so that the machine's slow minutes hit both alike; every other
# round measures the after side first, so that neither side always pays for going second (bench/RESULTS.md).
#
# Usage: bench/compare.sh BEFORE AFTER [PATH|startup|memory|scrape] [CONNECTIONS]
#   e.g. bench/compare.sh 381c61d HEAD /css/app.css 16      CPU time per request and requests/s, ROUNDS=5 of 10 s
#        bench/compare.sh 381c61d HEAD startup               start-up to the first 200 on /healthz, ROUNDS=10
#        bench/compare.sh 381c61d HEAD memory                resident MiB after 20 s of GET / at ~2,000 req/s, ROUNDS=3
#        bench/compare.sh 381c61d HEAD scrape                /metrics in text and protobuf after one replica's mix of
#                                                            requests: bytes, CPU per scrape and p99, ROUNDS=5 of 10 s
# Besides each side's median, it prints the median of the after/before ratios of the rounds.
# Both run with the shipped flags (bench/lib.sh: the Dockerfile's, without the start-up cache), unless BEFORE_FLAGS or
# AFTER_FLAGS replace them for one side: BEFORE_FLAGS="-XX:+UseSerialGC -Xmx64m" bench/compare.sh HEAD HEAD / 16
# compares JVM flags on one build. BEFORE_JAVA and AFTER_JAVA name the java of each side (default: java on the PATH):
# AFTER_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/compare.sh HEAD HEAD / 16 compares two JDKs.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
[ $# -ge 2 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
before=$1
after=$2
path=${3:-/}
connections=${4:-16}
DURATION=${DURATION:-10}
declare -A FLAGS=([before]=${BEFORE_FLAGS:-$SHIPPED_FLAGS} [after]=${AFTER_FLAGS:-$SHIPPED_FLAGS})
declare -A JAVA=([before]=${BEFORE_JAVA:-java} [after]=${AFTER_JAVA:-java})
for tool in wrk taskset curl git mvn; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (Debian: wrk, util-linux, curl, git, maven)" >&2; exit 1; }
done

work=$(mktemp -d)
servers=()
cleanup() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for tree in "$work"/tree-*; do [ -d "$tree" ] && git worktree remove --force "$tree"; done
    rm -rf "$work"
}
trap cleanup EXIT

build() { # revision name: builds the jar of a revision in its own worktree
    git worktree add --detach --quiet "$work/tree-$2" "$1"
    (cd "$work/tree-$2" && mvn -B -q package -DskipTests >/dev/null)
    cp "$work/tree-$2/target/tictactoe.jar" "$work/$2.jar"
    echo "$2 = $(git rev-parse --short "$1") ($(git log -1 --format=%s "$1" | cut -c1-70)), flags: ${FLAGS[$2]}," \
        "$("${JAVA[$2]}" -version 2>&1 | sed -n 2p)"
}
build "$before" before
build "$after" after
# The summary's code (bench.PairedRounds) is in this tree's test classes.
classpath=$(test_classpath)

start() { # name port: starts a jar on core 0 and prints its pid once /healthz answers
    # shellcheck disable=SC2086 # the flags split into words on purpose
    PORT=$2 HOST=127.0.0.1 REPLICA=bench DRAIN_DELAY_SECONDS=0 taskset -c 0 "${JAVA[$1]}" ${FLAGS[$1]} \
        -jar "$work/$1.jar" >"$work/$1-$2.log" 2>&1 &
    local pid=$!
    await_answer "http://127.0.0.1:$2/healthz" "$pid" "$work/$1-$2.log" || exit 1
    echo "$pid"
}

report() { # prints each side's median, min and max, and the after/before ratios, of the rounds in $work/results
    java -cp "$classpath" io.github.tictactoe.bench.PairedRounds "$work/results"
}

sides() { # round: the two sides in the order this round measures them, alternating so that neither always goes second
    if (($1 % 2)); then echo before after; else echo after before; fi
}

# What one replica of the stack sees (bench/replica-mix.sh): every route and status, so every series /metrics has.
replica_mix() { # port
    bench/replica-mix.sh "http://127.0.0.1:$1"
}
PROTOBUF="application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"
declare -A PORT=([before]=18891 [after]=18892) PID=()

request_cost() { # name seconds: prints "cpu_us_per_request requests_per_second" of that side's server
    local script=-
    [ "$path" = /api/move ] && script=bench/move.lua
    DURATION=$2 run_wrk "$connections" "http://127.0.0.1:${PORT[$1]}$path" "$script" "${PID[$1]}" | awk '{print $6, $2}'
}

scrape_cost() { # name seconds format: prints "cpu_us_per_scrape p99" of that side's /metrics in text or protobuf
    ACCEPT=$([ "$3" = protobuf ] && echo "$PROTOBUF" || echo "text/plain") DURATION=$2 run_wrk 1 \
        "http://127.0.0.1:${PORT[$1]}/metrics" bench/accept.lua "${PID[$1]}" | awk '{print $6, $4}'
}

start_both() { # starts both sides' servers, kept alive for every round
    local name
    for name in before after; do
        PID[$name]=$(start "$name" "${PORT[$name]}")
        servers+=("${PID[$name]}")
    done
}

if [ "$path" = startup ]; then
    ROUNDS=${ROUNDS:-10}
    for round in $(seq 1 "$ROUNDS"); do
        for name in $(sides "$round"); do
            t0=$(date +%s%N)
            pid=$(start "$name" 18890)
            echo "$name $((($(date +%s%N) - t0) / 1000000))" >>"$work/results"
            kill "$pid"
            while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done # not our child: started in a subshell
        done
    done
    unit="ms to the first 200 on /healthz"
elif [ "$path" = memory ]; then
    ROUNDS=${ROUNDS:-3}
    for round in $(seq 1 "$ROUNDS"); do
        for name in $(sides "$round"); do
            pid=$(start "$name" 18893)
            sleep 5
            PACE_MS=10 load 20 20 "http://127.0.0.1:18893/" bench/paced.lua >/dev/null
            echo "$name $(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")" >>"$work/results"
            kill "$pid"
            while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
        done
    done
    unit="MiB resident after 20 s of GET / at about 2,000 req/s (20 connections, 10 ms apart)"
elif [ "$path" = scrape ]; then
    ROUNDS=${ROUNDS:-5}
    start_both
    for name in before after; do replica_mix "${PORT[$name]}"; done
    for name in before after; do
        url="http://127.0.0.1:${PORT[$name]}/metrics"
        echo "$name: /metrics $(curl -s "$url" | wc -c) bytes as text, $(curl -s -H "Accept: $PROTOBUF" "$url" | wc -c)" \
            "as protobuf; gzipped $(curl -s -H 'Accept-Encoding: gzip' "$url" | wc -c) and" \
            "$(curl -s -H 'Accept-Encoding: gzip' -H "Accept: $PROTOBUF" "$url" | wc -c)"
    done
    for _ in 1 2 3 4 5 6; do
        for format in text protobuf; do
            for name in before after; do scrape_cost "$name" 5 "$format" >/dev/null; done
        done
    done
    for format in text protobuf; do
        : >"$work/results"
        for round in $(seq 1 "$ROUNDS"); do
            for name in $(sides "$round"); do
                echo "$name $(scrape_cost "$name" "$DURATION" "$format")" >>"$work/results"
            done
        done
        echo "$ROUNDS rounds, us CPU per /metrics scrape in $format (p99 of one connection's scrapes):"
        report
    done
    exit 0
else
    ROUNDS=${ROUNDS:-5}
    start_both
    # Warm-up: 60 s each, in alternation, for the JIT compilers to settle.
    for _ in 1 2 3 4 5 6; do
        for name in before after; do request_cost "$name" 5 >/dev/null; done
    done
    for round in $(seq 1 "$ROUNDS"); do
        for name in $(sides "$round"); do
            echo "$name $(request_cost "$name" "$DURATION")" >>"$work/results"
        done
    done
    unit="us CPU per request (requests/s), GET/POST $path at $connections connections"
fi

echo "$ROUNDS rounds, $unit:"
report
