#!/usr/bin/env bash
# Rewrites the name of every Swarm config in stack.yml to end in the first 8 hex digits of its file's SHA-256.
# Run it after editing any file under swarm/ that stack.yml ships as a config; ConfigNamesTest fails until you do.
set -euo pipefail
cd "$(dirname "$0")"
awk '
    /^ +name: tictactoe-.*-[0-9a-f]+$/ { pending = NR; line = $0; next }
    pending && /^ +file: / {
        file = $2
        cmd = "sha256sum " file " | cut -c1-8"
        cmd | getline hash
        close(cmd)
        sub(/-[0-9a-f]+$/, "-" hash, line)
        print line
        pending = 0
        print
        next
    }
    pending { print line; pending = 0 }
    { print }
' stack.yml > stack.yml.new
mv stack.yml.new stack.yml
grep -E '^ +name: tictactoe-' stack.yml
