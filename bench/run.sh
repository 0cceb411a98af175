#!/usr/bin/env bash
# Benchmark harness: the app as shipped (access log, security headers, metrics on, the Dockerfile's JVM flags) against
# nginx serving the same bytes, on a 2-core machine: servers on core 0, wrk on core 1. Prints a Markdown report.
#
# Usage: bench/run.sh                                  (DURATION=10 s per run, REPEATS=3; about 40 minutes)
#        DURATION=3 REPEATS=1 WARMUP_MAX=2 bench/run.sh   (a quick look, about 8 minutes)
#        SECTIONS="heap startup" bench/run.sh          (some sections only; the names are listed below)
#        PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH bench/run.sh   (the JDK whose java and jcmd come first)
#
# Sections, by default: throughput (GET /, a static file, POST /api/move, GET /metrics at 16 and 64 connections, app
# and nginx), ladder (nginx, a bare Jetty Handler, a bare servlet, then the shipped server one part at a time), scrape
# (/metrics size and time as series grow, and 10,000 junk paths), startup (plain and AppCDS), memory (resident memory
# after 20 s at 2,000 req/s and over 60 s of saturation, and what it is made of), floor (the app beside jars of Jetty
# with one servlet, and with one core Handler, writing the same page: start-up, memory, NMT and CPU per request, each
# with its own AOT cache or archive). On request: sweep (GET / from 1 to 256 connections), heap (throughput per heap
# size).
#
# Method: every server is warmed up until its JIT compilers stay idle for a 5 s window of load; the targets of a table
# are measured round-robin, REPEATS rounds, so that a slow minute of the machine hits all of them alike; each row gives
# the median and the min-max of requests/s, and the server's CPU time per request: utime+stime from /proc/PID/stat
# over the run divided by the requests completed.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
REPEATS=${REPEATS:-3}
SECTIONS=${SECTIONS:-throughput ladder scrape startup memory floor}
HEAPS=${HEAPS:-16m 24m 32m 48m 64m 128m 256m}
WARMUP_MAX=${WARMUP_MAX:-12} # windows of 5 s
BASE_PORT=${BASE_PORT:-18800}
# shellcheck source=bench/lib.sh
source bench/lib.sh
# The shipped flags (bench/lib.sh), start-up cache aside (the startup section measures it; memory uses it);
# BENCH_JVM_FLAGS="..." measures others.
read -ra JVM_FLAGS <<<"${BENCH_JVM_FLAGS:-$SHIPPED_FLAGS}"

missing=()
for tool in wrk nginx taskset curl awk mvn jcmd jar; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]}. On Debian: apt-get install wrk nginx-light util-linux curl gawk maven" >&2
    exit 1
fi
[ "$(nproc)" -ge 2 ] || { echo "needs 2 cores: servers on core 0, the load generator on core 1" >&2; exit 1; }
# Always from the working tree: a jar left from an earlier build would be measured under the wrong name. The tests'
# classes hold the launchers of the ladder and floor sections and bench.RunFigures, which turns figures into Markdown.
mvn -B -q package -DskipTests >&2
jar_source="commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo ' plus uncommitted changes')"

work=$(mktemp -d)
chmod 755 "$work" # nginx's worker runs as an unprivileged user and must read the files
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

has() { [[ " $SECTIONS " == *" $1 "* ]]; }

# Ports: the app (and any one server measured alone) on BASE_PORT, nginx beside it, the training runs, then one block
# for each section whose servers run side by side.
APP_PORT=$BASE_PORT
NGINX_PORT=$((BASE_PORT + 1))
FLOOR_TRAINING_PORT=$((BASE_PORT + 8))
APP_TRAINING_PORT=$((BASE_PORT + 9))
HEAP_PORTS=$((BASE_PORT + 20))
LADDER_PORTS=$((BASE_PORT + 40))
FLOOR_PORTS=$((BASE_PORT + 60))
app=http://127.0.0.1:$APP_PORT

# ---- statistics and Markdown: bench.RunFigures ------------------------------------------------------------------
figures() { java -cp target/test-classes io.github.tictactoe.bench.RunFigures "$@"; }
ratio() { figures ratio "$1" "$2"; }
median_of() { figures median-of "$work/medians" "$@"; } # label connections rps|cpu
median_value() { figures median "$(cat)"; }           # numbers on stdin
median_ms() { figures median-ms "$(cat)"; }           # numbers on stdin: "1234 ms (1200-1300)"

# ---- start-up caches --------------------------------------------------------------------------------------------
# Two kinds, each trained by src/main/docker/training-run.sh: an AppCDS archive (appcds), and where the JVM has one
# (Java 24 and later, JEP 483/514) the AOT cache (aot) with its AOT_FLAGS (bench/lib.sh). The image ships the AOT cache
# on 25 and shipped the AppCDS archive on 17 (1.0.0): SHIPPED_CACHE is this JVM's.
if java "${AOT_FLAGS[@]}" -XX:AOTMode=off -version >/dev/null 2>&1; then
    HAS_AOT=true SHIPPED_CACHE=aot CACHE_NAME="AOT cache"
else
    HAS_AOT=false SHIPPED_CACHE=appcds CACHE_NAME="AppCDS archive"
fi
cache_output_flags() { # kind file: the flags with which a training run writes the cache
    case $1 in
        aot) echo "${AOT_FLAGS[*]} -XX:AOTCacheOutput=$2" ;;
        appcds) echo "-XX:ArchiveClassesAtExit=$2" ;;
    esac
}
cache_flags() { # kind file: the flags that start from the cache, and refuse to start without it
    case $1 in
        aot) echo "${AOT_FLAGS[*]} -XX:AOTCache=$2 -XX:AOTMode=on" ;;
        appcds) echo "-XX:SharedArchiveFile=$2 -Xshare:on" ;;
    esac
}
train_app_cache() { # kind: trains the app's cache of that kind once, in $work/app.<kind>; stops the run if it fails
    local output=$work/app.$1 flags
    [ ! -f "$output" ] || return 0
    read -ra flags <<<"$(cache_output_flags "$1" "$output")"
    if ! TRAINING_PORT=$APP_TRAINING_PORT src/main/docker/training-run.sh target/tictactoe.jar "$output" \
        "${JVM_FLAGS[@]}" "${flags[@]}" >"$work/train-app-$1.log" 2>&1; then
        echo "the training run of the app's $1 cache failed; the end of its output:" >&2
        tail -n 20 "$work/train-app-$1.log" >&2
        exit 1
    fi
}
app_cache_flags() { # kind: the flags that start the app from its cache of that kind, trained by train_app_cache
    cache_flags "$1" "$work/app.$1"
}

# ---- servers ----------------------------------------------------------------------------------------------------
declare -A PID
# Starts a server on core 0 and waits for its /healthz; refuses a port that something already answers on.
launch() { # name port command...
    local name=$1 port=$2
    shift 2
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        echo "port $port is in use; set BASE_PORT" >&2
        exit 1
    fi
    PORT=$port HOST=127.0.0.1 REPLICA=bench DRAIN_DELAY_SECONDS=0 taskset -c 0 "$@" >"$work/$name.log" 2>&1 &
    PID[$name]=$!
    pids+=("$!")
    await_answer "http://127.0.0.1:$port/healthz" "${PID[$name]}" "$work/$name.log"
}
halt() { # name
    kill "${PID[$1]}" 2>/dev/null || true
    wait "${PID[$1]}" 2>/dev/null || true
}
start_app() { launch app "$APP_PORT" java "${JVM_FLAGS[@]}" "$@" -jar target/tictactoe.jar; } # extra JVM flags...

# The app's page and stylesheet as files in $work/www (fetched from the app, which must be running), served by nginx
# on NGINX_PORT; VERSION is the page's asset version.
nginx=http://127.0.0.1:$NGINX_PORT
start_nginx() {
    mkdir -p "$work/www/css"
    curl -s "$app/" >"$work/www/index.html"
    cp src/main/webapp/css/app.css "$work/www/css/app.css"
    VERSION=$(grep -o 'app\.css?v=[^"]*' "$work/www/index.html" | head -1 | cut -d= -f2)
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
    PID[nginx]=$!
    pids+=("${PID[nginx]}")
    await_answer "$nginx/index.html" "${PID[nginx]}" "$work/nginx-error.log"
}
nginx_pids() { echo "${PID[nginx]} $(pgrep -P "${PID[nginx]}" | xargs)"; } # the master and its worker

# ---- measuring --------------------------------------------------------------------------------------------------
TABLE_HEAD="| server and request | connections | requests/s | min-max | p50 | p99 | CPU us/req | non-2xx |
| --- | --- | --- | --- | --- | --- | --- | --- |"
STEPS_TABLE_HEAD="| server and request | connections | requests/s | min-max | p50 | p99 | CPU us/req | step | non-2xx |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |"

# Measures the targets round-robin for REPEATS rounds and prints one Markdown row per target (bench.RunFigures rows;
# --steps adds each row's CPU minus the row above's). A target is "label|url|script or -|pid pid...". The medians go to
# $work/medians, for median_of.
rows() { # connections [--steps] target...
    local c=$1 steps=() target label url script pids
    shift
    if [ "$1" = --steps ]; then
        steps=(--steps)
        shift
    fi
    for _ in $(seq 1 "$REPEATS"); do
        for target in "$@"; do
            IFS='|' read -r label url script pids <<<"$target"
            # shellcheck disable=SC2086
            echo "$label|$(run_wrk "$c" "$url" "$script" $pids)"
        done
    done >"$work/rounds"
    figures rows "$work/medians" "$c" "${steps[@]}" <"$work/rounds"
}

# Curl's time and size of 20 scrapes, then the samples and the http_* series of one more.
scrape_stats() {
    local metrics
    for _ in $(seq 1 20); do
        curl -s -o /dev/null -w '%{time_total} %{size_download}\n' "$app/metrics"
    done | figures scrapes | tr -d '\n'
    metrics=$(curl -s "$app/metrics")
    echo ", $(grep -vc '^#' <<<"$metrics") samples," \
        "$(grep -c '^http_server_requests_total{' <<<"$metrics") http_* series"
}
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
rss_parts() { awk '/RssAnon|RssFile/ {printf "%s %.0f MiB ", $1, $2 / 1024}' "/proc/$1/status"; }
# The JVM's own accounts of what it committed (needs -XX:NativeMemoryTracking=summary): "part|KiB" lines.
nmt_committed() { jcmd "$1" VM.native_memory summary | figures nmt; } # pid
# 20 s at 2,000 req/s: 20 connections, each waiting 10 ms between requests (bench/paced.lua); prints the rate.
paced() { # url
    PACE_MS=10 load 20 20 "$1" bench/paced.lua | awk '/Requests\/sec/ {printf "%.0f", $2}'
}
# Milliseconds from launch to the first 200 on /healthz of the app with these extra JVM flags.
startup_ms() { # extra JVM flags...
    local t0 t1
    t0=$(date +%s%N)
    start_app "$@"
    t1=$(date +%s%N)
    halt app
    echo $(((t1 - t0) / 1000000))
}

echo "# Benchmark run $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r);" \
    "$(java -version 2>&1 | head -1); $(nginx -v 2>&1); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)."
echo "Servers on core 0, wrk -t1 on core 1; ${DURATION} s per run, REPEATS=${REPEATS} rounds round-robin, median and"
echo "min-max of requests/s; JVM flags: ${JVM_FLAGS[*]}. CPU us/req: the server's utime+stime"
echo "over the run divided by the requests it completed. The app's jar: built from $jar_source."
echo

# ---- throughput, latency and CPU per request against nginx -------------------------------------------------------
if has throughput; then
    start_app
    start_nginx
    export LEVEL=perfect
    windows=$(for target in "$app/|-" "$app/css/app.css|-" "$app/api/move|bench/move.lua" "$app/metrics|-"; do
        warm_up "${PID[app]}" "${target%|*}" "${target#*|}"
    done | xargs)

    echo "## Throughput, latency and CPU time per request"
    echo
    echo "Warm-up of the app: $windows windows of 5 s for /, /css/app.css, /api/move and /metrics."
    echo
    echo "$TABLE_HEAD"
    for c in 16 64; do
        rows "$c" "app GET / (page)|$app/|-|${PID[app]}" "nginx GET / (same bytes)|$nginx/index.html|-|$(nginx_pids)" \
            "app GET /css/app.css|$app/css/app.css|-|${PID[app]}" \
            "nginx GET /css/app.css|$nginx/css/app.css|-|$(nginx_pids)" \
            "app POST /api/move (perfect)|$app/api/move|bench/move.lua|${PID[app]}" \
            "app GET /metrics|$app/metrics|-|${PID[app]}"
    done
    echo
    echo "CPU time per request, app / nginx on the same bytes (target: at most 1.3), and a move's against the page's"
    echo "(target: at most 1.5):"
    echo
    for c in 16 64; do
        page=$(median_of "app GET / (page)" "$c" cpu) nginx_page=$(median_of "nginx GET / (same bytes)" "$c" cpu)
        css=$(median_of "app GET /css/app.css" "$c" cpu) nginx_css=$(median_of "nginx GET /css/app.css" "$c" cpu)
        move=$(median_of "app POST /api/move (perfect)" "$c" cpu)
        echo "- $c connections: page $(ratio "$page" "$nginx_page") ($page vs nginx's $nginx_page us)," \
            "css $(ratio "$css" "$nginx_css") ($css vs $nginx_css us); move / page $(ratio "$move" "$page")" \
            "($move vs $page us)"
    done
    echo
    halt nginx
    halt app
fi

# ---- connection sweep -------------------------------------------------------------------------------------------
if has sweep; then
    start_app
    windows=$(warm_up "${PID[app]}" "$app/" -)
    echo "## Connection sweep (GET /; warm-up $windows windows of 5 s)"
    echo
    echo "$TABLE_HEAD"
    for c in 1 4 16 64 256; do
        rows "$c" "app GET /|$app/|-|${PID[app]}"
    done
    echo
    halt app
fi

# ---- ablation ladder: from nginx and a bare Jetty up to the shipped server, one part at a time ---------------------
# Each rung is the one above it plus one part, so the difference between two rows is what that part costs. The app's
# rungs are the test launcher bench.AblatedServer with the parts not yet added removed; its last rung is the server as
# shipped. All rungs run at once on core 0 and are measured round-robin.
WITHOUT_DRAIN="compression metrics security-headers asset-cache access-log"
LADDER=(
    "nginx||"
    "Jetty core Handler, bytes from memory|BareServer|handler"
    "one servlet, bytes from memory|BareServer|servlet"
    "app servlets only (GameServlet, DefaultServlet)|AblatedServer|drain $WITHOUT_DRAIN"
    "+ drain handler|AblatedServer|$WITHOUT_DRAIN"
    "+ compression handler (wrk asks for none)|AblatedServer|metrics security-headers asset-cache access-log"
    "+ metrics filter|AblatedServer|security-headers asset-cache access-log"
    "+ security headers filter|AblatedServer|asset-cache access-log"
    "+ asset cache filter|AblatedServer|access-log"
    "+ access log = as shipped|AblatedServer|"
)
if has ladder; then
    classpath=$(test_classpath)
    start_app
    start_nginx
    halt app
    page_targets=() css_targets=() i=0
    for rung in "${LADDER[@]}"; do
        IFS='|' read -r label class args <<<"$rung"
        if [ -z "$class" ]; then
            base=$nginx pid_list=$(nginx_pids) page=/index.html
        else
            port=$((LADDER_PORTS + i))
            # shellcheck disable=SC2086
            if [ "$class" = BareServer ]; then
                launch "rung$i" "$port" java "${JVM_FLAGS[@]}" -cp "$classpath" io.github.tictactoe.bench.BareServer \
                    $args "$work/www"
            else
                launch "rung$i" "$port" java "${JVM_FLAGS[@]}" -cp "$classpath" \
                    io.github.tictactoe.bench.AblatedServer $args
            fi
            base=http://127.0.0.1:$port pid_list=${PID[rung$i]} page=/
            warm_up "$pid_list" "$base/" - >/dev/null
            warm_up "$pid_list" "$base/css/app.css?v=$VERSION" - >/dev/null
        fi
        page_targets+=("$label|$base$page|-|$pid_list")
        css_targets+=("$label|$base/css/app.css?v=$VERSION|-|$pid_list")
        i=$((i + 1))
    done
    echo "## Ablation ladder: where the CPU time of a request goes"
    echo
    echo "Every rung adds one part to the one above (step: its CPU us/req minus the row above); all alive at once,"
    echo "measured round-robin at 16 connections. The app's rungs are bench.AblatedServer with the later parts removed."
    echo
    for what in page css; do
        echo "### GET $([ "$what" = page ] && echo "/ (the page, $(wc -c <"$work/www/index.html") bytes)" \
            || echo "/css/app.css?v=$VERSION ($(wc -c <"$work/www/css/app.css") bytes)")"
        echo
        echo "$STEPS_TABLE_HEAD"
        if [ "$what" = page ]; then rows 16 --steps "${page_targets[@]}"; else rows 16 --steps "${css_targets[@]}"; fi
        echo
    done
    for i in "${!LADDER[@]}"; do
        if [ -n "${PID[rung$i]:-}" ]; then halt "rung$i"; fi
    done
    halt nginx
fi

# ---- scrape size and time as series grow; junk paths ------------------------------------------------------------
if has scrape; then
    start_app
    echo "## /metrics as the series grow"
    echo
    echo "- just started: $(scrape_stats)"
    warm_up "${PID[app]}" "$app/metrics" - >/dev/null
    # One request of each route and status the app can answer.
    for path in / /index.html /css/app.css /js/app.js /images/favicon.svg /healthz /readyz /no-such-file /css; do
        curl -s -o /dev/null "$app$path"
    done
    etag=$(curl -sI "$app/css/app.css" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
    curl -s -o /dev/null -H "If-None-Match: $etag" "$app/css/app.css"
    curl -s -o /dev/null -X DELETE "$app/"
    curl -s -o /dev/null -X BREW "$app/"
    for body in '{"board": "X...O....", "cell": 8}' '{"board": "bad"}' "$(head -c 5000 /dev/zero | tr '\0' x)"; do
        curl -s -o /dev/null -H 'Content-Type: application/json' -d "$body" "$app/api/move"
    done
    curl -s -o /dev/null -H 'Content-Type: text/plain' -d 'x' "$app/api/move"
    curl -s -o /dev/null "$app/api/move"
    echo "- after every route and status: $(scrape_stats)"
    for round in first second; do
        JUNK_OFFSET=$([ "$round" = first ] && echo 0 || echo 1000000) JUNK_LIMIT=10000 \
            load 10 16 "$app/" bench/junk.lua >"$work/junk.txt"
        echo "- after $(awk '/requests in/ {print $1}' "$work/junk.txt") requests over the $round 10,000 distinct junk" \
            "paths (every tenth with its own junk method): $(scrape_stats)"
    done
    echo
    echo "One scraper, as Prometheus scrapes a target (target: p99 under 5 ms):"
    echo
    echo "$TABLE_HEAD"
    rows 1 "app GET /metrics|$app/metrics|-|${PID[app]}"
    echo
    halt app
fi

# ---- start-up ----------------------------------------------------------------------------------------------------
if has startup; then
    train_app_cache appcds
    read -ra appcds_flags <<<"$(app_cache_flags appcds)"
    if $HAS_AOT; then
        train_app_cache aot
        read -ra aot_flags <<<"$(app_cache_flags aot)"
    fi
    plain=() cds=() aot=()
    for _ in $(seq 1 10); do
        plain+=("$(startup_ms)")
        cds+=("$(startup_ms "${appcds_flags[@]}")")
        if $HAS_AOT; then aot+=("$(startup_ms "${aot_flags[@]}")"); fi
    done
    echo "## Start-up to the first 200 on /healthz (10 runs each, alternating, median (min-max); the JVM on core 0; curl polls every 10 ms)"
    echo
    echo "$(java -version 2>&1 | sed -n 2p):"
    echo
    echo "- plain: $(printf '%s\n' "${plain[@]}" | median_ms)"
    echo "- AppCDS archive from src/main/docker/training-run.sh ($(du -h "$work/app.appcds" | cut -f1)):" \
        "$(printf '%s\n' "${cds[@]}" | median_ms)"
    if $HAS_AOT; then
        echo "- AOT cache from the same training ($(du -h "$work/app.aot" | cut -f1)): $(printf '%s\n' "${aot[@]}" | median_ms)"
    fi
    echo
fi

# ---- memory over a saturation run --------------------------------------------------------------------------------
if has memory; then
    train_app_cache "$SHIPPED_CACHE"
    read -ra CACHE_FLAGS <<<"$(app_cache_flags "$SHIPPED_CACHE")"
    echo "## Resident memory (the Dockerfile's flags and its start-up cache: $CACHE_NAME; $(java -version 2>&1 | sed -n 2p))"
    echo
    for run in 1 2 3; do
        start_app "${CACHE_FLAGS[@]}"
        sleep 5
        idle=$(rss_mib "${PID[app]}")
        rate=$(paced "$app/")
        echo "- run $run: idle 5 s after start $idle MiB; after 20 s of GET / at $rate req/s: $(rss_mib "${PID[app]}") MiB" \
            "($(rss_parts "${PID[app]}")), $(find "/proc/${PID[app]}/task" -mindepth 1 -maxdepth 1 | wc -l) threads"
        halt app
    done
    start_app "${CACHE_FLAGS[@]}"
    load 60 64 "$app/" - >/dev/null &
    loader=$!
    samples=()
    for _ in 1 2 3 4 5 6; do
        sleep 10
        samples+=("$(rss_mib "${PID[app]}")")
    done
    wait "$loader"
    echo "- every 10 s of 60 s of saturation (GET / at 64 connections): ${samples[*]} MiB"
    halt app
    # What the resident set is made of: the JVM's own accounts (NMT costs some memory itself, so only here).
    start_app "${CACHE_FLAGS[@]}" -XX:NativeMemoryTracking=summary
    rate=$(paced "$app/")
    echo "- with -XX:NativeMemoryTracking=summary, after 20 s at $rate req/s: $(rss_mib "${PID[app]}") MiB resident" \
        "($(rss_parts "${PID[app]}")); committed by the JVM's account, in KiB:"
    echo
    nmt_committed "${PID[app]}" | while IFS='|' read -r part kib; do echo "  - $part: $kib"; done
    echo
    halt app
fi

# ---- the floor of the design: the app beside a jar of Jetty with one servlet writing the same page ---------------
# The floor jars hold bench.BareServer and the Jetty, servlet API and logging jars the app ships, nothing else; each
# server gets a start-up cache trained on its own requests, and runs with the same flags. Start-up, resident memory,
# NMT and CPU per request are measured side by side (alternating starts, round-robin rounds).
floor_jar() { # the jar of bench.BareServer with its dependencies, in $work/floor.jar
    local classpath=$1 unpacked=$work/floor-classes entry
    mkdir -p "$unpacked"
    for entry in ${classpath//:/ }; do
        case ${entry##*/} in
            jetty-server-*.jar | jetty-http-*.jar | jetty-io-*.jar | jetty-util-*.jar | jetty-security-*.jar | \
                jetty-session-*.jar | jetty-ee10-servlet-*.jar | jakarta.servlet-api-*.jar | slf4j-api-*.jar | \
                jetty-slf4j-impl-*.jar)
                (cd "$unpacked" && jar -xf "$entry") ;;
        esac
    done
    rm -rf "$unpacked/META-INF/versions" "$unpacked/module-info.class" "$unpacked"/META-INF/*.SF
    mkdir -p "$unpacked/io/github/tictactoe/bench"
    cp target/test-classes/io/github/tictactoe/bench/BareServer*.class "$unpacked/io/github/tictactoe/bench/"
    jar --create --file "$work/floor.jar" --main-class io.github.tictactoe.bench.BareServer -C "$unpacked" .
}
# Trains a floor server's AOT cache (or AppCDS archive): starts it, sends the requests it will serve, stops it.
train_floor() { # mode output
    local flags port=$FLOOR_TRAINING_PORT
    read -ra flags <<<"$(cache_output_flags "$SHIPPED_CACHE" "$2")"
    launch "train-$1" "$port" java "${JVM_FLAGS[@]}" "${flags[@]}" -jar "$work/floor.jar" "$1" "$work/www"
    for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/"; done
    kill -TERM "${PID[train-$1]}"
    wait "${PID[train-$1]}" 2>/dev/null || true
    [ -s "$2" ] || { echo "no start-up cache was written for the $1 floor" >&2; exit 1; }
}
# The app and the two floors, each from its own start-up cache: "name|command" (after the JVM flags) in FLOOR_COMMAND.
FLOORS=(app servlet handler)
declare -A FLOOR_COMMAND
start_floor() { # name port [extra flags...]
    local name=$1 port=$2 command
    shift 2
    read -ra command <<<"${FLOOR_COMMAND[$name]}"
    launch "floor-$name" "$port" java "${JVM_FLAGS[@]}" "$@" "${command[@]}"
}
if has floor; then
    classpath=$(test_classpath)
    start_app
    start_nginx
    halt nginx
    halt app
    floor_jar "$classpath"
    train_floor servlet "$work/floor-servlet.cache"
    train_floor handler "$work/floor-handler.cache"
    train_app_cache "$SHIPPED_CACHE"
    FLOOR_COMMAND=(
        [app]="$(app_cache_flags "$SHIPPED_CACHE") -jar target/tictactoe.jar"
        [servlet]="$(cache_flags "$SHIPPED_CACHE" "$work/floor-servlet.cache") -jar $work/floor.jar servlet $work/www"
        [handler]="$(cache_flags "$SHIPPED_CACHE" "$work/floor-handler.cache") -jar $work/floor.jar handler $work/www"
    )
    declare -A started=() resident=() parts=()
    for _ in $(seq 1 10); do
        for name in "${FLOORS[@]}"; do
            t0=$(date +%s%N)
            start_floor "$name" "$APP_PORT"
            started[$name]+="$((($(date +%s%N) - t0) / 1000000)) "
            halt "floor-$name"
        done
    done
    for run in 1 2 3; do
        for name in "${FLOORS[@]}"; do
            start_floor "$name" "$APP_PORT"
            paced "$app/" >/dev/null
            resident[$name]+="$(rss_mib "${PID[floor-$name]}") "
            halt "floor-$name"
        done
    done
    for name in "${FLOORS[@]}"; do
        start_floor "$name" "$APP_PORT" -XX:NativeMemoryTracking=summary
        paced "$app/" >/dev/null
        parts[$name]="$(rss_mib "${PID[floor-$name]}") MiB resident ($(rss_parts "${PID[floor-$name]}" | sed 's/ $//'))"
        nmt_committed "${PID[floor-$name]}" | sed "s/^/$name|/" >>"$work/nmt"
        halt "floor-$name"
    done
    targets=() i=0
    for name in "${FLOORS[@]}"; do
        port=$((FLOOR_PORTS + i))
        start_floor "$name" "$port"
        warm_up "${PID[floor-$name]}" "http://127.0.0.1:$port/" - >/dev/null
        targets+=("$name GET /|http://127.0.0.1:$port/|-|${PID[floor-$name]}")
        i=$((i + 1))
    done
    echo "## The app beside the floor of its design"
    echo
    echo "The app as shipped (every feature on) beside bench.BareServer in a jar of its own with the Jetty, servlet API"
    echo "and logging jars the app ships: one servlet, or one core Handler, writing the page's $(wc -c <"$work/www/index.html") bytes"
    echo "from memory. Each with a start-up cache trained on its own requests ($CACHE_NAME); jar sizes: app"
    echo "$(du -k target/tictactoe.jar | cut -f1) KiB, floor $(du -k "$work/floor.jar" | cut -f1) KiB."
    echo
    echo "$TABLE_HEAD"
    rows 16 "${targets[@]}"
    echo
    for name in "${FLOORS[@]}"; do halt "floor-$name"; done
    cpu_app=$(median_of "app GET /" 16 cpu) cpu_servlet=$(median_of "servlet GET /" 16 cpu)
    cpu_handler=$(median_of "handler GET /" 16 cpu)
    start_app_ms=$(median_value <<<"${started[app]}") start_servlet_ms=$(median_value <<<"${started[servlet]}")
    rss_app=$(median_value <<<"${resident[app]}") rss_servlet=$(median_value <<<"${resident[servlet]}")
    echo "| figure | app | one-servlet jar | ratio (target: at most 1.15) | one core Handler jar |"
    echo "| --- | --- | --- | --- | --- |"
    echo "| first 200 on /healthz from process start, one core, median of 10 alternating | $(median_ms <<<"${started[app]}") |" \
        "$(median_ms <<<"${started[servlet]}") | **$(ratio "$start_app_ms" "$start_servlet_ms")** | $(median_ms <<<"${started[handler]}") |"
    echo "| resident memory after 20 s of GET / at ~2,000 req/s, median of 3 ($(echo "${resident[app]}" | xargs); $(echo "${resident[servlet]}" | xargs); $(echo "${resident[handler]}" | xargs)) |" \
        "$rss_app MiB | $rss_servlet MiB | **$(ratio "$rss_app" "$rss_servlet")** | $(median_value <<<"${resident[handler]}") MiB |"
    echo "| CPU us per GET /, 16 connections, median of $REPEATS rounds | $cpu_app | $cpu_servlet |" \
        "**$(ratio "$cpu_app" "$cpu_servlet")** | $cpu_handler |"
    echo
    echo "Native memory after 20 s at ~2,000 req/s with -XX:NativeMemoryTracking=summary, committed KiB by the JVM's"
    echo "account (app: ${parts[app]}; one servlet: ${parts[servlet]}; one Handler: ${parts[handler]}):"
    echo
    echo "| part | app | one-servlet jar | app minus floor | one core Handler jar |"
    echo "| --- | --- | --- | --- | --- |"
    figures nmt-table <"$work/nmt"
    echo
fi

# ---- throughput per heap size -------------------------------------------------------------------------------------
if has heap; then
    flags=()
    for flag in "${JVM_FLAGS[@]}"; do [[ $flag == -Xmx* ]] || flags+=("$flag"); done
    targets=()
    i=0
    export LEVEL=perfect
    for heap in $HEAPS; do
        port=$((HEAP_PORTS + i))
        launch "heap$heap" "$port" java "${flags[@]}" -Xmx"$heap" -jar target/tictactoe.jar
        warm_up "${PID[heap$heap]}" "http://127.0.0.1:$port/api/move" bench/move.lua >/dev/null
        targets+=("-Xmx$heap|http://127.0.0.1:$port/api/move|bench/move.lua|${PID[heap$heap]}")
        i=$((i + 1))
    done
    echo "## Throughput per heap size (POST /api/move at 64 connections; ${flags[*]})"
    echo
    echo "${TABLE_HEAD/server and request/heap}"
    rows 64 "${targets[@]}"
    echo
    echo "Resident memory after these runs:"
    for heap in $HEAPS; do echo -n " -Xmx$heap $(rss_mib "${PID[heap$heap]}") MiB;"; done
    echo
    echo
    heap_labels=()
    for heap in $HEAPS; do heap_labels+=("-Xmx$heap"); done
    echo "Smallest heap within 5% of the throughput of ${heap_labels[-1]}:" \
        "$(figures first-within "$work/medians" 64 5 "${heap_labels[@]}")"
    echo
fi
