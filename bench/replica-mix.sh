#!/usr/bin/env bash
# Gives a running app what one replica of the stack meets, so that /metrics holds every series it would there: 5 s of
# load on the page, a static file, moves and a 404 (latencies spread as under load, filling the native buckets a busy
# replica fills), then one request of every other kind (HEAD, a redirect, a 304, bad moves, 405, 501, health).
# Usage: bench/replica-mix.sh BASE_URL     e.g. bench/replica-mix.sh http://127.0.0.1:3306
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
base=${1:?usage: bench/replica-mix.sh BASE_URL}
for target in "/|-" "/css/app.css|-" "/api/move|bench/move.lua" "/no-such-file|-"; do
    load 5 16 "$base${target%%|*}" "${target##*|}" >/dev/null
done
etag=$(curl -sI "$base/" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
curl -s -o /dev/null -I "$base/"
curl -s -o /dev/null "$base/index.html"
curl -s -o /dev/null "$base/css"
curl -s -o /dev/null -H "If-None-Match: $etag" "$base/"
curl -s -o /dev/null "$base/api/move"
curl -s -o /dev/null -X BREW "$base/"
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"board": "X........", "cell": 0}' "$base/api/move"
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d 'not json' "$base/api/move"
for level in easy medium perfect; do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "{\"board\": \".........\", \"cell\": 4, \"level\": \"$level\"}" "$base/api/move"
done
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"board": ".........", "cell": 4, "mode": "two-players"}' "$base/api/move"
curl -s -o /dev/null "$base/healthz"
curl -s -o /dev/null "$base/readyz"
