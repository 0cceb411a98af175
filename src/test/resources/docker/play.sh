#!/bin/sh
# The tests' player inside the stack's network: pages, moves and whole games against tasks.tictactoe, resolved afresh
# by each curl as a short-lived client does (this machine has no IPVS, so the service's virtual IP cannot be used).
# Usage: sh play.sh SECONDS   Stops after SECONDS, or as soon as /tmp/stop-playing exists.
# Prints one line per request: "<status> <expected status> <kind>"; status 000 means no HTTP answer at all.
set -u
app=http://tasks.tictactoe:3306
end=$(( $(date +%s) + $1 ))
rm -f /tmp/stop-playing

move() { # kind expected-status body
    curl -s -o /dev/null -w "%{http_code} $2 $1\n" --max-time 10 \
        -H 'Content-Type: application/json' -d "$3" "$app/api/move"
}

while [ ! -e /tmp/stop-playing ] && [ "$(date +%s)" -lt "$end" ]; do
    # A page and its assets on one kept-alive connection, as a browser loads them.
    curl -s --max-time 10 -w '%{http_code} 200 page\n' -o /dev/null -o /dev/null -o /dev/null \
        "$app/" "$app/css/app.css" "$app/js/app.js"
    curl -s --max-time 10 -o /dev/null -w '%{http_code} 404 missing\n' "$app/no-such-page"
    # A two-player game that X wins.
    move two-players 200 '{"board": ".........", "cell": 0, "mode": "two-players"}'
    move two-players 200 '{"board": "X........", "cell": 3, "mode": "two-players"}'
    move two-players 200 '{"board": "X..O.....", "cell": 1, "mode": "two-players"}'
    move two-players 200 '{"board": "XX.O.....", "cell": 4, "mode": "two-players"}'
    move two-players 200 '{"board": "XX.OO....", "cell": 2, "mode": "two-players"}'
    # Against the computer: a move it answers, a winning move of the human, a move after which it wins.
    move vs-computer 200 '{"board": "X...O....", "cell": 8, "level": "easy"}'
    move vs-computer 200 '{"board": "XX.OO....", "cell": 2, "level": "perfect"}'
    move vs-computer 200 '{"board": "O.OX.X...", "cell": 8, "level": "perfect"}'
    move rejected 400 '{"board": "X........", "cell": 0}'
done
