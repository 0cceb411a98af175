#!/usr/bin/env bash
# JMH benchmarks of the metrics recording path and of one scrape (src/test/java/**/*Benchmark.java).
# Usage: bench/jmh.sh [JMH options, e.g. -f 1 -wi 3 -i 5]   The server core is not involved: run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
exec java -cp "$(test_classpath)" org.openjdk.jmh.Main \
    "MetricsRecordingBenchmark" "$@"
