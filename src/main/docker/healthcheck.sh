#!/bin/bash
# The image's liveness probe: GET /healthz on loopback, healthy on a 200. The runtime image (FROM scratch: a jlinked
# Java runtime, the C library and bash) has no curl and no wget, and a JVM started every 2 s would cost a CPU share and
# tens of MiB inside the task's memory limit, so the request goes through bash's /dev/tcp: one line written, the
# status line read back.
# It follows the container's PORT and MANAGEMENT_PORT, since /healthz moves to the management port when one is set.
port=${MANAGEMENT_PORT:-${PORT:-3306}}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 || exit 1
IFS=' ' read -r -t 2 _ status _ <&3 || exit 1
[ "$status" = 200 ]
