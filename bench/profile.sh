#!/usr/bin/env bash
# A JFR profile of one kind of request: where the server's Java time goes, by method and by class, as a share of all
# samples and in samples per 1,000 requests. Shares within one profile are the firm figure; samples per request only
# roughly compare two profiles (the app and its floor, a change's before and after), as JFR's sampler thread shares
# core 0 with the server and its rate varies from run to run.
# The server is the working tree's jar (app) or the one-servlet floor writing the app's page (floor, as bench/run.sh's
# floor section), on core 0 with the shipped flags; it is warmed up as bench/run.sh does, then loaded by wrk on core 1
# for LOAD_SECONDS (30) at CONNECTIONS while JFR takes an execution sample every millisecond.
#
# Usage: bench/profile.sh [app|floor] [PATH] [CONNECTIONS]     e.g. bench/profile.sh app / 16
#        PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH bench/profile.sh floor
# The recording stays in target/profile-<app|floor>.jfr for `jfr view` or JDK Mission Control.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
server=${1:-app}
path=${2:-/}
connections=${3:-16}
LOAD_SECONDS=${LOAD_SECONDS:-30}
ROWS=${ROWS:-30}
port=${BASE_PORT:-18800}
for tool in wrk taskset curl unzip jcmd mvn; do
    command -v "$tool" >/dev/null ||
        { echo "$tool is missing (Debian: wrk, util-linux, curl, unzip, maven)" >&2; exit 1; }
done
case $server in app | floor) ;; *) sed -n '10,11p' "$0" >&2; exit 2 ;; esac

mvn -B -q package -DskipTests >&2
classpath=$(test_classpath)
echo "$server, built from commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml ||
    echo ' plus uncommitted changes'), $(java -version 2>&1 | sed -n 2p)"

work=$(mktemp -d)
pid=
cleanup() {
    [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The shipped flags, and stacks deep enough for a servlet request with its filters.
read -ra flags <<<"$SHIPPED_FLAGS"
flags+=(-XX:FlightRecorderOptions:stackdepth=256)
if [ "$server" = app ]; then
    command=(-jar target/tictactoe.jar)
else
    # The floor writes the app's page from memory, its placeholders filled here (the same size within a few bytes).
    mkdir -p "$work/www"
    (unzip -p target/tictactoe.jar webapp/index.html | sed 's/{{version}}/profile/g; s/{{replica}}/bench/g') \
        >"$work/www/index.html"
    command=(-cp "$classpath" io.github.tictactoe.bench.BareServer servlet "$work/www")
fi
PORT=$port HOST=127.0.0.1 REPLICA=bench DRAIN_DELAY_SECONDS=0 taskset -c 0 java "${flags[@]}" "${command[@]}" \
    >"$work/server.log" 2>&1 &
pid=$!
await_answer "http://127.0.0.1:$port/" "$pid" "$work/server.log"
script=-
[ "$path" = /api/move ] && script=bench/move.lua
url=http://127.0.0.1:$port$path
echo "warmed up in $(warm_up "$pid" "$url" "$script") windows of 5 s"

recording=target/profile-$server.jfr
jcmd "$pid" JFR.start name=profile settings=default jdk.ExecutionSample#period=1ms filename="$PWD/$recording" \
    >/dev/null
out=$(load "$LOAD_SECONDS" "$connections" "$url" "$script")
jcmd "$pid" JFR.stop name=profile >/dev/null
requests=$(awk '/requests in/ {print $1}' <<<"$out")
echo "$requests requests to $path in $LOAD_SECONDS s at $connections connections ($(awk '/Requests\/sec/ {print $2}' \
    <<<"$out") per second, under the profiler); recording in $recording"
java -cp "$classpath" io.github.tictactoe.bench.ProfileSummary "$recording" "$requests" "$ROWS"
