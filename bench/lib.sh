# Functions shared by the bench scripts; sourced, not run. The load generator runs on core 1.

ticks=$(getconf CLK_TCK)

# The flags of a Java argument file as one line of words, its comments and blank lines aside.
argument_file() { # file
    sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1" | paste -sd' ' -
}
# The image's flags, from the argument files its entrypoint reads: SHIPPED_FLAGS the runtime's, with which the bench
# scripts run the app and its floors (start-up cache aside); AOT_FLAGS those of its AOT cache (Java 24 and later).
SHIPPED_FLAGS=$(argument_file "$(dirname "${BASH_SOURCE[0]}")/../src/main/docker/jvm.args")
# shellcheck disable=SC2034 # used by the scripts that source this file
read -ra AOT_FLAGS <<<"$(argument_file "$(dirname "${BASH_SOURCE[0]}")/../src/main/docker/aot.args")"

# Waits for a 2xx from URL, polling every 10 ms, 1,200 times at most; fails with the tail of LOG if PID exits first.
await_answer() { # url pid log
    local try
    for try in $(seq 1 1200); do
        curl -sf -o /dev/null "$1" && return 0
        if ! kill -0 "$2" 2>/dev/null; then
            echo "the server for $1 exited after $try polls; the end of $3:" >&2
            tail -n 20 "$3" >&2
            return 1
        fi
        sleep 0.01
    done
    echo "no answer from $1 after 1,200 polls; the end of $3:" >&2
    tail -n 20 "$3" >&2
    return 1
}

# utime + stime, in clock ticks, from a /proc/.../stat file; the name in parentheses may hold spaces.
stat_ticks() { # stat file
    sed 's/.*) //' "$1" | awk '{print $12 + $13}'
}

# utime + stime in clock ticks of processes, all their threads included.
cpu_ticks() { # pid...
    local total=0 pid
    for pid in "$@"; do
        total=$((total + $(stat_ticks "/proc/$pid/stat")))
    done
    echo "$total"
}

load() { # seconds connections url script|-
    local args=(-t1 -c"$2" -d"$1"s --latency)
    [ "$4" = "-" ] || args+=(-s "$4")
    taskset -c 1 wrk "${args[@]}" "$3"
}

# One wrk run of DURATION seconds; prints "requests rps p50 p99 non2xx cpu_us_per_request" of the pids.
run_wrk() { # connections url script|- pid...
    local connections=$1 url=$2 script=$3
    shift 3
    local before after out requests
    before=$(cpu_ticks "$@")
    out=$(load "$DURATION" "$connections" "$url" "$script")
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

jit_ticks() { # pid: CPU of the JIT compiler threads
    local total=0 task
    for task in /proc/"$1"/task/*; do
        case $(cat "$task/comm") in
            C1\ Compiler* | C2\ Compiler*) total=$((total + $(stat_ticks "$task/stat"))) ;;
        esac
    done
    echo "$total"
}

# Loads a server in 5 s windows until its JIT compilers used under 30 ms in one (at least 3, at most WARMUP_MAX: 12).
warm_up() { # pid url script|-
    local w before max=${WARMUP_MAX:-12}
    for w in $(seq 1 "$max"); do
        before=$(jit_ticks "$1")
        load 5 16 "$2" "$3" >/dev/null
        if [ "$w" -ge "$((max < 3 ? max : 3))" ] && [ $(($(jit_ticks "$1") - before)) -lt $((ticks * 3 / 100)) ]; then
            break
        fi
    done
    echo "$w"
}

# Compiles the tests and prints the classpath of the test-scope launchers and benchmarks.
test_classpath() {
    mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
        -Dmdep.includeScope=test >&2
    echo "target/test-classes:target/classes:$(cat target/test-classpath.txt)"
}
