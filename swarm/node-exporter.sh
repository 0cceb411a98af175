#!/bin/sh
# Starts node-exporter in its Swarm task (swarm/stack.yml mounts this file as a config). The task sees the node through
# the host's /proc, /sys and / mounted read-only under /host. All of /proc is the node's but for its network files,
# which a process reads in its own network namespace: the task's, on the stack's overlay network. So node-exporter
# reads a copy of the host's /proc made of links, whose net/ is that of the node's process 1, in the node's network
# namespace; and the netdev collector reads /proc/net/dev instead of asking netlink, which would answer for the task.
# POSIX sh, mkdir and ln only: prom/node-exporter's busybox has no more.
set -eu
view=/tmp/proc
mkdir -p "$view"
for entry in /host/proc/*; do
    name=${entry##*/}
    [ "$name" = net ] || ln -s "$entry" "$view/$name"
done
ln -s /host/proc/1/net "$view/net"
exec /bin/node_exporter --path.procfs="$view" --path.sysfs=/host/sys --path.rootfs=/host/root \
    --path.udev.data=/host/root/run/udev/data --no-collector.netdev.netlink "$@"
