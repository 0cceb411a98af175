#!/usr/bin/env bash
# Where a start-up's time goes: runs bench.StartupSteps on core 0 (as bench/run.sh starts the app) RUNS times (3).
# Usage: bench/startup-steps.sh [extra JVM flags, e.g. -XX:SharedArchiveFile=app.jsa]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v taskset >/dev/null || { echo "taskset is missing: apt-get install util-linux" >&2; exit 1; }
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
for run in $(seq 1 "${RUNS:-3}"); do
    echo "run $run:"
    taskset -c 0 java -XX:+UseSerialGC -Xmx64m "$@" \
        -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" io.github.tictactoe.bench.StartupSteps
done
