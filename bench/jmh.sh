#!/usr/bin/env bash
# JMH benchmarks of the metrics recording path and of one scrape (src/test/java/**/*Benchmark.java).
# Usage: bench/jmh.sh [JMH options, e.g. -f 1 -wi 3 -i 5]   The server core is not involved: run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/jmh-classpath.txt)" org.openjdk.jmh.Main \
    "MetricsRecordingBenchmark" "$@"
