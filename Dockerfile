# Maven builds the shaded jar; the image that runs it is FROM scratch: a Java runtime that jlink cuts from the build
# image's Temurin JDK down to the modules the jar uses, the C library files it needs, bash for the healthcheck, the jar
# and its start-up cache, run as a non-root user. 117 MB on the Debian stand-in, against 406 MiB with Temurin's JRE
# image (docs/deployment.md, "The size of the image").
# No `# syntax=` line, no RUN --mount and no COPY --chmod: the image builds with the classic builder and with BuildKit
# alike, and needs no frontend image from Docker Hub.

# The one base image, as a build argument so that a mirror or a test can put another name in; the default is the pin.
# It is Docker's official image (docker-library/official-images: library/maven); docs/upgrading.md, "Pinned
# releases", says where the tag is listed and how long it is supported. Java and the C library of the image that runs
# come from it too, so a new tag of it is how they get their security fixes.
ARG BUILD_IMAGE=maven:3.9.16-eclipse-temurin-25-noble
# The version the service reports in app_info and on its page; keep the default equal to pom.xml's <version>.
ARG VERSION=1.1.0

# ---- build ----------------------------------------------------------------------------------
FROM ${BUILD_IMAGE} AS build
WORKDIR /build
# Dependencies and plugins in a layer of their own, rebuilt only when pom.xml changes: a package run of the pom alone
# fetches every artifact that packaging the sources needs (dependency:go-offline misses the plugins' own dependencies),
# and the offline run below proves it.
COPY pom.xml ./
RUN mvn -B -q package -DskipTests && rm -rf target
COPY src ./src
# Declared only here: a changed build argument invalidates the cache of every RUN after its ARG line.
ARG VERSION
# 0444 here because COPY keeps a file's mode: the runtime stage gets a read-only jar without COPY --chmod.
RUN mvn -B -q -o package -DskipTests -Dapp.version="${VERSION}" && chmod 0444 target/tictactoe.jar

# ---- the runtime's root file system -----------------------------------------------------------------------------
# Apart from the sources, so that it is rebuilt only when the build image or the script changes.
FROM ${BUILD_IMAGE} AS root
COPY src/main/docker/runtime-root.sh src/main/docker/healthcheck.sh /tmp/
RUN sh /tmp/runtime-root.sh /root-fs && cp /tmp/healthcheck.sh /root-fs/usr/local/bin/ \
    && chmod 0555 /root-fs/usr/local/bin/healthcheck.sh

# ---- the start-up cache -----------------------------------------------------------------------------------------
# A training run writes what the JVM loaded, linked and profiled to Java 25's AOT cache (JEP 483/514), which later
# starts map instead of loading again. In a 1-CPU container the app answers 0.86 s after the start, against 0.94 s
# with an AppCDS archive and 1.89 s with the JDK's CDS only (ImageIT, 2026-12-05; bench/RESULTS.md). A cache
# only works with the JVM build, the jar file (path, size and time), the GC and the flags that made it, so it is made
# in a tree equal to the image's, with the ENTRYPOINT's flags. Adapter caching is off in both: up to 25.0.4 adapters
# cached on a CPU with AVX-512 can crash on one without, and a swarm's nodes need not match the machine that built the
# image. The training requests come from the jar's own client: the image has no curl.
FROM scratch AS training
COPY --from=root /root-fs/ /
COPY --from=build /build/target/tictactoe.jar /app/tictactoe.jar
COPY src/main/docker/training-run.sh /tmp/
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8
RUN ["/bin/bash", "/tmp/training-run.sh", "/app/tictactoe.jar", "/app/tictactoe.aot", "-XX:+UseSerialGC", "-Xmx64m", \
     "-Xmn12m", "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTAdapterCaching", "-XX:AOTCacheOutput=/app/tictactoe.aot"]

# Read-only for everyone: the image has no chmod, so it is set here.
FROM ${BUILD_IMAGE} AS cache
COPY --from=training /app/tictactoe.aot /tictactoe.aot
RUN chmod 0444 /tictactoe.aot

# ---- runtime --------------------------------------------------------------------------------------------------------
FROM scratch
COPY --from=root /root-fs/ /
# The same jar file as the training run's: COPY keeps its time, which the cache checks.
COPY --from=build /build/target/tictactoe.jar /app/tictactoe.jar
COPY --from=cache /tictactoe.aot /app/tictactoe.aot
# C.UTF-8 is built into the C library; no locale files are needed.
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8
WORKDIR /app
USER 10001:10001

ENV PORT=3306
EXPOSE 3306

# Late in the stage: a changed build argument invalidates the cache of every RUN after its ARG line.
ARG VERSION
LABEL org.opencontainers.image.title="tictactoe" \
      org.opencontainers.image.description="Tic-tac-toe on embedded Jetty 12, instrumented with Prometheus client_java 1.x" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"

# A fixed 64 MiB heap: the smallest heap whose throughput stays within 5% of a 256 MiB one is 48 MiB
# (bench/RESULTS.md); 64 MiB keeps a third more for bursts and larger scrapes. The serial collector is the one the JVM
# picks itself for a 1-CPU container; it keeps the most memory free. A 12 MiB young generation instead of a third of
# the heap: the heap pages a replica touches follow it, and collections of it stay cheap because almost nothing a
# request allocates outlives it (with the trim below, on Java 17: resident memory after 20 s at 2,000 req/s 96-97 MiB
# instead of 121-123, throughput at saturation 4.8% lower for the page and 0.9% for a move; on Java 25 with the AOT
# cache 104-109 MiB). TrimNativeHeapInterval gives the C library's freed memory (most of it the JIT compilers' scratch
# space) back to the system every 5 s.
# The stack's 192M limit covers the resident memory measured at saturation with these flags (114-128 MiB on Java 25,
# at most ~140 MiB seen on 17). An OutOfMemoryError ends the process so that Swarm replaces the task instead of leaving
# it limping.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx64m", "-Xmn12m", "-XX:TrimNativeHeapInterval=5000", \
            "-XX:+ExitOnOutOfMemoryError", \
            "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTAdapterCaching", "-XX:AOTCache=/app/tictactoe.aot", \
            "-jar", "/app/tictactoe.jar"]

# Liveness on loopback, following PORT and MANAGEMENT_PORT (src/main/docker/healthcheck.sh: bash's /dev/tcp, since
# the image has neither curl nor wget).
# Every 2 s from the start, so a task is healthy about 2 s after it starts (the JVM answers within a second) instead of
# after a first 10 s interval. Failures within the 10 s start period do not count: an image whose check never passes is
# unhealthy after about 10 + 3 x 2 s, well inside the stack's 30 s update monitor, so the rollout rolls back.
# dockerfilelint 1.8.0 flags this line "Invalid Argument Format": its option pattern (--\w+) cuts
# --start-period at the hyphen. The option is valid (Docker 17.05+); dockerfile-utils accepts it.
HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=3 CMD ["/usr/local/bin/healthcheck.sh"]
