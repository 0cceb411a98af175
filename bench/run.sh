#!/usr/bin/env bash
# Benchmark harness: the app as shipped (access log, security headers, metrics on) against nginx serving the same
# bytes, on a 2-core machine: server on core 0, wrk on core 1. Prints a Markdown report on stdout.
#
# Usage: bench/run.sh            (DURATION=10 seconds per run, REPEATS=3; about 12 minutes)
#        DURATION=3 REPEATS=1 bench/run.sh   (a quick look)
#
# Measures: throughput and p50/p99 of GET /, a static file, POST /api/move (perfect) and GET /metrics at 16 and 64
# connections; the server's CPU time per request (utime+stime from /proc/PID/stat over the run / requests) for the
# app and for nginx; a connection sweep; /metrics size and time; start-up to the first 200, plain and with an
# AppCDS archive; resident memory idle and after 60 s of saturation.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
REPEATS=${REPEATS:-3}
APP_PORT=${APP_PORT:-18801}
NGINX_PORT=${NGINX_PORT:-18802}
# The Dockerfile's flags, with the heap the stack's 384 MiB limit gives (75%): there is no container here.
JVM_FLAGS=(-XX:+UseG1GC -Xmx288m -XX:+ExitOnOutOfMemoryError)

missing=()
for tool in wrk nginx taskset curl awk; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]}. Install with: apt-get install wrk nginx-light util-linux curl" >&2
    exit 1
fi
[ "$(nproc)" -ge 2 ] || { echo "needs 2 cores (server and load generator apart)" >&2; exit 1; }
[ -f target/tictactoe.jar ] || mvn -B -q package -DskipTests

work=$(mktemp -d)
chmod 755 "$work" # nginx's worker runs as an unprivileged user and must read the files
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

ticks=$(getconf CLK_TCK)

cpu_ticks() { # utime + stime of a process and its children threads, in clock ticks
    local total=0
    for pid in "$@"; do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "$total"
}

wait_for() { # url
    for _ in $(seq 1 600); do
        curl -sf -o /dev/null "$1" && return 0
        sleep 0.01
    done
    echo "no answer from $1" >&2
    return 1
}

start_app() { # extra JVM flags...
    PORT=$APP_PORT HOST=127.0.0.1 REPLICA=bench DRAIN_DELAY_SECONDS=0 taskset -c 0 java "${JVM_FLAGS[@]}" "$@" -jar target/tictactoe.jar \
        >"$work/app.log" 2>&1 &
    app_pid=$!
    pids+=("$app_pid")
    wait_for "http://127.0.0.1:$APP_PORT/healthz"
}

stop_app() {
    kill "$app_pid"
    wait "$app_pid" 2>/dev/null || true
}

# One wrk run; prints "requests rps p50 p99 non2xx cpu_us_per_request".
run_wrk() { # connections url script|- pid...
    local connections=$1 url=$2 script=$3
    shift 3
    local before after out requests
    before=$(cpu_ticks "$@")
    if [ "$script" = "-" ]; then
        out=$(taskset -c 1 wrk -t1 -c"$connections" -d"${DURATION}s" --latency "$url")
    else
        out=$(taskset -c 1 wrk -t1 -c"$connections" -d"${DURATION}s" --latency -s "$script" "$url")
    fi
    after=$(cpu_ticks "$@")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    awk -v out="$out" -v requests="$requests" -v cpu=$((after - before)) -v ticks="$ticks" 'BEGIN {
        n = split(out, lines, "\n"); rps = p50 = p99 = "?"; non2xx = 0
        for (i = 1; i <= n; i++) {
            split(lines[i], f, " ")
            if (lines[i] ~ /Requests\/sec/) rps = f[2]
            if (f[1] == "50%") p50 = f[2]
            if (f[1] == "99%") p99 = f[2]
            if (lines[i] ~ /Non-2xx/) non2xx = f[5]
            if (lines[i] ~ /Socket errors/) non2xx = non2xx "+errors"
        }
        printf "%s %s %s %s %s %.2f\n", requests, rps, p50, p99, non2xx, cpu / ticks / requests * 1e6
    }'
}

# Runs REPEATS times and prints a Markdown row: median and min-max of rps, median p50/p99, CPU us/request.
row() { # label connections url script pid...
    local label=$1
    shift
    local results=()
    for _ in $(seq 1 "$REPEATS"); do
        results+=("$(run_wrk "$@")")
    done
    printf '%s\n' "${results[@]}" | sort -k2 -n | awk -v label="$label" -v c="$1" '
        { rps[NR] = $2; p50[NR] = $3; p99[NR] = $4; err[NR] = $5; cpu[NR] = $6 }
        END {
            m = int((NR + 1) / 2)
            printf "| %s | %s | %.0f | %.0f-%.0f | %s | %s | %.2f | %s |\n", label, c, rps[m], rps[1], rps[NR],
                p50[m], p99[m], cpu[m], err[m]
        }'
}

echo "# Benchmark run $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r);" \
    "$(java -version 2>&1 | head -1); $(nginx -v 2>&1); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)."
echo "Server on core 0, wrk -t1 on core 1; ${DURATION}s per run, median of ${REPEATS} (min-max of requests/s);"
echo "JVM flags: ${JVM_FLAGS[*]}. CPU us/req: the server's utime+stime over the run divided by the requests."
echo

# ---- throughput, latency and CPU per request ------------------------------------------------------------------
start_app
curl -s "http://127.0.0.1:$APP_PORT/" >"$work/index.html"
mkdir -p "$work/www/css"
cp "$work/index.html" "$work/www/index.html"
cp src/main/webapp/css/app.css "$work/www/css/app.css"
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
worker_cpu_affinity 01;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    include /etc/nginx/mime.types;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $work/www;
        location / { etag on; }
    }
}
EOF
taskset -c 0 nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
pids+=("$nginx_pid")
wait_for "http://127.0.0.1:$NGINX_PORT/index.html"
nginx_workers=$(pgrep -P "$nginx_pid" | tr '\n' ' ')

# Warm-up: let the JIT compile the paths measured below.
for path in / /css/app.css /metrics; do
    taskset -c 1 wrk -t1 -c16 -d5s "http://127.0.0.1:$APP_PORT$path" >/dev/null
done
LEVEL=perfect taskset -c 1 wrk -t1 -c16 -d5s -s bench/move.lua "http://127.0.0.1:$APP_PORT/api/move" >/dev/null

echo "## Throughput, latency and CPU time per request"
echo
echo "| server and request | connections | requests/s | min-max | p50 | p99 | CPU us/req | non-2xx |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for c in 16 64; do
    row "app GET / (page)" "$c" "http://127.0.0.1:$APP_PORT/" - "$app_pid"
    # shellcheck disable=SC2086
    row "nginx GET / (same bytes)" "$c" "http://127.0.0.1:$NGINX_PORT/index.html" - "$nginx_pid" $nginx_workers
    row "app GET /css/app.css" "$c" "http://127.0.0.1:$APP_PORT/css/app.css" - "$app_pid"
    # shellcheck disable=SC2086
    row "nginx GET /css/app.css" "$c" "http://127.0.0.1:$NGINX_PORT/css/app.css" - "$nginx_pid" $nginx_workers
    row "app POST /api/move (perfect)" "$c" "http://127.0.0.1:$APP_PORT/api/move" bench/move.lua "$app_pid"
    row "app GET /metrics" "$c" "http://127.0.0.1:$APP_PORT/metrics" - "$app_pid"
done
echo

echo "## Connection sweep (GET /)"
echo
echo "| server and request | connections | requests/s | min-max | p50 | p99 | CPU us/req | non-2xx |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for c in 1 4 16 64 256; do
    REPEATS=1 row "app GET /" "$c" "http://127.0.0.1:$APP_PORT/" - "$app_pid"
done
echo

echo "## /metrics after the traffic above"
echo
scrape=$(for _ in $(seq 1 20); do
    curl -s -o /dev/null -w '%{time_total} %{size_download}\n' "http://127.0.0.1:$APP_PORT/metrics"
done | sort -n | awk '{t[NR] = $1; s = $2} END {printf "%.2f ms median, %.2f ms max of 20; %d bytes", t[10] * 1000, t[NR] * 1000, s}')
series=$(curl -s "http://127.0.0.1:$APP_PORT/metrics" | grep -vc '^#')
echo "Scrape with curl: $scrape, $series samples."
echo
stop_app

# ---- start-up -------------------------------------------------------------------------------------------------
startup() { # extra JVM flags...: prints milliseconds from launch to the first 200 on /healthz
    local t0 t1
    t0=$(date +%s%N)
    start_app "$@"
    t1=$(date +%s%N)
    stop_app
    echo $(((t1 - t0) / 1000000))
}
median10() { sort -n | awk '{v[NR] = $1} END {printf "%d ms median (%d-%d)", (v[5] + v[6]) / 2, v[1], v[NR]}'; }

start_app -XX:ArchiveClassesAtExit="$work/app.jsa"
curl -s "http://127.0.0.1:$APP_PORT/" >/dev/null
curl -s "http://127.0.0.1:$APP_PORT/metrics" >/dev/null
curl -s -H 'Content-Type: application/json' -d '{"board": "X...O....", "cell": 8}' \
    "http://127.0.0.1:$APP_PORT/api/move" >/dev/null
stop_app
echo "## Start-up to the first 200 on /healthz (10 runs each, curl polling every 10 ms)"
echo
echo "- plain: $(for _ in $(seq 1 10); do startup; done | median10)"
echo "- AppCDS archive ($(du -h "$work/app.jsa" | cut -f1)): $(for _ in $(seq 1 10); do
    startup -XX:SharedArchiveFile="$work/app.jsa"; done | median10)"
echo

# ---- memory ---------------------------------------------------------------------------------------------------
rss() { awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$1/status"; }
start_app
sleep 5
idle=$(rss "$app_pid")
taskset -c 1 wrk -t1 -c64 -d60s "http://127.0.0.1:$APP_PORT/" >/dev/null
echo "## Resident memory (${JVM_FLAGS[*]})"
echo
echo "- idle, 5 s after start: $idle"
echo "- after 60 s of GET / at 64 connections: $(rss "$app_pid")"
stop_app
