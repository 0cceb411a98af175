#!/usr/bin/env bash
# Lighthouse on the page as a browser gets it: starts the jar on loopback, runs npm's lighthouse@12.2.3 (13.x needs a
# newer Node than Debian's) in Debian's Chromium with Lighthouse's default settings (a simulated mobile device on a
# throttled network), and prints the four category scores and every audit that did not pass.
#
# Usage: bench/lighthouse.sh [runs]      (3 by default; needs chromium, node and npm; lighthouse goes to ~/.cache)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
runs=${1:-3}
for tool in chromium node npm curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (Debian: chromium, nodejs, npm, curl)" >&2; exit 1; }
done
[ -f target/tictactoe.jar ] || mvn -B -q package -DskipTests

tools=${XDG_CACHE_HOME:-$HOME/.cache}/tictactoe-bench/lighthouse-12.2.3
[ -x "$tools/node_modules/.bin/lighthouse" ] || npm install --prefix "$tools" --no-audit --no-fund lighthouse@12.2.3 >&2

work=$(mktemp -d)
port=${PORT:-18990}
# shellcheck disable=SC2086 # the flags split into words on purpose
PORT=$port HOST=127.0.0.1 REPLICA=lighthouse java $SHIPPED_FLAGS -jar target/tictactoe.jar \
    >"$work/app.log" 2>&1 &
app=$!
trap 'kill "$app" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
await_answer "http://127.0.0.1:$port/healthz" "$app" "$work/app.log"

for run in $(seq 1 "$runs"); do
    # The flags a root user on a closed network needs (the test machine has no route out).
    CHROME_PATH=$(command -v chromium) "$tools/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/" --quiet \
        --only-categories=performance,accessibility,best-practices,seo --output=json --output-path="$work/$run.json" \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run
            --disable-background-networking --disable-component-update --disable-sync
            --user-data-dir=$work/profile-$run"
    node -e '
        const report = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const scores = Object.values(report.categories).map(c => `${c.title} ${Math.round(c.score * 100)}`);
        const failed = Object.values(report.audits)
            .filter(a => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative")
            .map(a => `${a.id} (${a.displayValue || a.score})`);
        const metrics = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
            "cumulative-layout-shift"].map(id => `${report.audits[id].title} ${report.audits[id].displayValue}`);
        // The three the page used to be flagged for.
        const watched = ["uses-text-compression", "uses-long-cache-ttl", "unminified-javascript"]
            .map(id => `${id} ${report.audits[id].score}`);
        console.log(`- run ${process.argv[2]}: ${scores.join(", ")}; ${metrics.join(", ")}; ${watched.join(", ")};` +
            ` not passed: ${failed.length ? failed.join(", ") : "none"}`);
    ' "$work/$run.json" "$run"
done
