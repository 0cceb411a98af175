#!/bin/sh
# Lays out the runtime image's whole root file system in ROOT, from the build image: a Java runtime made by jlink with
# only the modules the jar uses, the C library files that it and bash link against, bash for the healthcheck, the
# service's user and an empty /tmp. The image is then FROM scratch with this tree: no package manager, no coreutils,
# no shell but bash.
#
# Usage: runtime-root.sh ROOT
set -eu
root=$1
java_home=/opt/java/openjdk

# The modules: jdeps --print-module-deps lists java.desktop, java.naming, java.sql and java.security.jgss too, which
# only parts of Jetty and Jackson the service never loads refer to; jdk.zipfs is loaded by name, not referred to (the
# static files are served out of the jar through a zip file system). jdk.management gives the JVM metrics their
# process CPU and memory figures, java.net.http is the traffic generator's and the training run's client.
# java.logging only because the JDK's default class list names its classes. --strip-java-debug-attributes, not
# --strip-debug, which also strips native symbols with objcopy, a tool the build image lacks (Temurin's native
# libraries carry no debug information anyway). Then the JDK's own class data archive, for the runs that have no
# cache of their own (the traffic generator, the password hash, a start with -XX:AOTMode=off); -Xshare:dump makes the
# one for compressed object pointers only, where jlink's --generate-cds-archive would add a second, unused one of 13 MB.
jlink --add-modules java.base,java.logging,java.management,jdk.management,java.net.http,jdk.unsupported,jdk.zipfs \
    --strip-java-debug-attributes --no-header-files --no-man-pages --output "$root$java_home"
"$root$java_home/bin/java" -Xshare:dump -Xlog:cds=off -Xlog:cds+heap=off >/dev/null

# Every shared library outside the runtime that java, the runtime's libraries and bash load, at the path the build
# image's loader found it (/lib64/ld-linux-x86-64.so.2 and /lib/<multiarch>/..., which the loader searches without a
# cache). libgcc_s is loaded by the C library itself, at run time, when a thread is cancelled or unwound.
bash=$(command -v bash)
libgcc=$(ldconfig -p | awk '$1 == "libgcc_s.so.1" {print $NF; exit}')
[ -n "$libgcc" ] || { echo "runtime-root.sh: no libgcc_s.so.1 in the build image" >&2; exit 1; }
find "$root$java_home" -name '*.so' -o -path '*/bin/*' -type f | while read -r file; do ldd "$file" || true; done \
    >/tmp/runtime-ldd.txt
ldd "$bash" >>/tmp/runtime-ldd.txt
{
    awk -v root="$root" '$2 == "=>" && $3 ~ /^\// && index($3, root) != 1 {print $3} $1 ~ /^\// {print $1}' \
        /tmp/runtime-ldd.txt
    echo "$libgcc"
} | sort -u | while read -r library; do
    mkdir -p "$root$(dirname "$library")"
    cp -L "$library" "$root$library"
done
rm /tmp/runtime-ldd.txt

mkdir -p "$root/bin" "$root/etc" "$root/usr/local/bin" "$root/app" "$root/tmp"
cp -L "$bash" "$root/bin/bash"
chmod 1777 "$root/tmp"
# The service's user and group (10001, as Ubuntu's images already give 1000 to "ubuntu"), root, and nobody.
printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
    'tictactoe:x:10001:10001:tictactoe:/nonexistent:/sbin/nologin' >"$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' 'tictactoe:x:10001:' >"$root/etc/group"
