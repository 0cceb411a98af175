#!/bin/sh
# The tests' webhook receiver (AlertReceiver), a CGI script of busybox httpd: keeps each notification Alertmanager
# posts as a file named by the second it came in, and answers 200, which Alertmanager counts as sent.
set -eu
mkdir -p /tmp/received
file=/tmp/received/$(date +%s)-$$.json
head -c "${CONTENT_LENGTH:-0}" >"$file.partial"
mv "$file.partial" "$file"
printf 'Content-Type: text/plain\r\n\r\nreceived\n'
