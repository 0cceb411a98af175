#!/usr/bin/env bash
# Rewrites the name of every Swarm config in stack.yml and alerts-to-webhook.yml to end in the first 8 hex digits of its
# file's SHA-256. Run it after editing any file under swarm/ that a stack file ships as a config; StackFileTest fails
# until you do.
set -euo pipefail
cd "$(dirname "$0")"
for stack_file in stack.yml alerts-to-webhook.yml; do
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
    ' "$stack_file" >"$stack_file.new"
    mv "$stack_file.new" "$stack_file"
    grep -E '^ +name: tictactoe-' "$stack_file"
done
