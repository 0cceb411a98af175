#!/usr/bin/env bash
# Where a start-up's time goes: runs bench.StartupSteps on core 0 (as bench/run.sh starts the app) RUNS times (3).
# CACHE=aot first trains an AOT cache on one run of the steps themselves (Java 25+) and starts each run from it, as
# the image starts the app from its own cache; without it the classes are loaded and linked from the jars.
# Usage: [CACHE=aot] bench/startup-steps.sh [extra JVM flags]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v taskset >/dev/null || { echo "taskset is missing: apt-get install util-linux" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source bench/lib.sh
classpath=$(test_classpath)
read -ra flags <<<"$SHIPPED_FLAGS"
flags+=("$@")
steps=(-cp "$classpath" io.github.tictactoe.bench.StartupSteps)
if [ "${CACHE:-}" = aot ]; then
    # A start-up cache holds classes from jars only, so the app's and the steps' classes go into one jar first.
    jar --create --file target/startup-steps.jar -C target/classes . -C target/test-classes io/github/tictactoe/bench
    steps=(-cp "target/startup-steps.jar:${classpath#target/test-classes:target/classes:}" "${steps[@]:2}")
    cache=target/startup-steps.aot
    rm -f "$cache"
    taskset -c 0 java "${flags[@]}" -XX:AOTCacheOutput="$cache" "${steps[@]}" >/dev/null
    flags+=(-XX:AOTCache="$cache" -XX:AOTMode=on)
    echo "from the AOT cache $cache ($(du -h "$cache" | cut -f1)), $(java -version 2>&1 | sed -n 2p)"
fi
for run in $(seq 1 "${RUNS:-3}"); do
    echo "run $run:"
    taskset -c 0 java "${flags[@]}" "${steps[@]}"
done
