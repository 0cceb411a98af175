#!/bin/sh
# Makes an application class-data-sharing (AppCDS) archive of the jar: starts it with -XX:ArchiveClassesAtExit,
# sends one request of each kind so that the classes they load are archived too, and stops it with SIGTERM, at
# which the JVM writes the archive. Start the jar with -XX:SharedArchiveFile=ARCHIVE to use it: the archive is only
# valid for this jar file and this exact JVM build, so the Dockerfile makes it in the runtime image itself.
#
# Usage: app-cds.sh JAR ARCHIVE [JVM flags of the real runs...]      Needs curl.
set -eu
jar=$1
archive=$2
shift 2
port=${CDS_PORT:-18999}

PORT=$port HOST=127.0.0.1 REPLICA=cds-training DRAIN_DELAY_SECONDS=0 \
    java "$@" -XX:ArchiveClassesAtExit="$archive" -jar "$jar" >/dev/null &
pid=$!
tries=0
until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
        echo "app-cds.sh: the training run did not start" >&2
        exit 1
    fi
    sleep 0.05
done
base=http://127.0.0.1:$port
for path in / /css/app.css /js/app.js /images/favicon.svg /readyz /metrics /no-such-file; do
    curl -sS -o /dev/null "$base$path"
done
# As a browser asks, so that the compression handler's classes are archived too.
for path in / /css/app.css /js/app.js; do
    curl -sS -o /dev/null -H 'Accept-Encoding: gzip' "$base$path"
done
curl -sS -o /dev/null -H 'Content-Type: application/json' -d '{"board": "X...O....", "cell": 8}' "$base/api/move"
curl -sS -o /dev/null -H 'Content-Type: application/json' -d '{"board": "bad"}' "$base/api/move"
kill -TERM "$pid"
wait "$pid"
test -s "$archive" || { echo "app-cds.sh: no archive was written to $archive" >&2; exit 1; }
