#!/bin/sh
# The training run of a start-up archive (the image's AOT cache; ImageIT makes AppCDS archives with it too): starts the
# jar with the given JVM flags (among them the one that names the archive to write), sends one request of each kind
# so that the classes they load are archived too, and stops the service with SIGTERM, at which the JVM writes the
# archive. The requests come from the jar's own TrainingClient, on Java's HTTP client: the runtime image has no curl
# and no wget.
#
# Usage: training-run.sh JAR OUTPUT JVM-FLAGS...
#   e.g. training-run.sh app.jar app.aot @jvm.args @aot.args -XX:AOTCacheOutput=app.aot
# An archive works only with the JVM build, the jar file, the GC and the object-header layout that made it, so the
# Dockerfile runs this in the runtime image itself with the entrypoint's argument files; OUTPUT is checked to be
# non-empty.
set -eu
jar=$1
output=$2
shift 2
port=${TRAINING_PORT:-18999}

PORT=$port HOST=127.0.0.1 REPLICA=training DRAIN_DELAY_SECONDS=0 java "$@" -jar "$jar" >/dev/null &
pid=$!
if ! java -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$jar" io.github.tictactoe.tools.training.TrainingClient \
        "http://127.0.0.1:$port"; then
    kill -KILL "$pid" 2>/dev/null || true
    echo "training-run.sh: the training requests failed" >&2
    exit 1
fi
kill -TERM "$pid"
wait "$pid"
test -s "$output" || { echo "training-run.sh: nothing was written to $output" >&2; exit 1; }
