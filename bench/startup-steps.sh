#!/usr/bin/env bash
# Where a start-up's time goes: runs bench.StartupSteps on core 0 (as bench/run.sh starts the app) RUNS times (3).
# Usage: bench/startup-steps.sh [extra JVM flags, e.g. -XX:SharedArchiveFile=app.jsa]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v taskset >/dev/null || { echo "taskset is missing: apt-get install util-linux" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source bench/lib.sh
classpath=$(test_classpath)
for run in $(seq 1 "${RUNS:-3}"); do
    echo "run $run:"
    taskset -c 0 java -XX:+UseSerialGC -Xmx64m -Xmn12m -XX:TrimNativeHeapInterval=5000 "$@" \
        -cp "$classpath" io.github.tictactoe.bench.StartupSteps
done
