#!/usr/bin/env bash
# How many native buckets the request-duration histogram fills under load, per series and schema: what sets its
# schema and bucket limit (HttpServerMetrics, docs/metrics.md). The shipped server in one JVM with CLIENTS client
# threads beside it, for SECONDS.
# Usage: bench/native-buckets.sh [SECONDS] [CLIENTS]     (defaults 30 and 8)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
classpath=$(test_classpath)
echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo ' plus uncommitted changes'),"\
    "$(java -version 2>&1 | sed -n 2p)"
java -cp "$classpath" io.github.tictactoe.bench.NativeBucketCount "${1:-30}" "${2:-8}"
