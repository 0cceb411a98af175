# Two stages: Maven builds the shaded jar, a Temurin JRE on Ubuntu noble runs it as a non-root user.
# No `# syntax=` line, no RUN --mount and no COPY --chmod: the image builds with the classic builder and with BuildKit
# alike, and needs no frontend image from Docker Hub.

# The base images, as build arguments so that a mirror or a test can put another name in; the defaults are the pins.
ARG BUILD_IMAGE=maven:3.9.9-eclipse-temurin-17-noble
ARG RUNTIME_IMAGE=eclipse-temurin:17.0.15_6-jre-noble
# The version the service reports in app_info and on its page; keep the default equal to pom.xml's <version>.
ARG VERSION=1.0.0

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

# ---- runtime --------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
# Ubuntu noble's image already has the user "ubuntu" with UID 1000, so the service takes 10001.
RUN groupadd --system --gid 10001 tictactoe \
    && useradd --system --uid 10001 --gid tictactoe --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin tictactoe

WORKDIR /app
COPY --from=build /build/target/tictactoe.jar /app/tictactoe.jar
# AppCDS: a training run writes the classes it loaded to an archive that later starts map instead of parsing
# (bench/RESULTS.md: start-up ~1.0 s shorter on one core). Made here, not in the build stage, because an archive only
# works with the JVM build and the jar file that made it; the flags match the ENTRYPOINT's.
COPY src/main/docker/app-cds.sh /usr/local/bin/app-cds.sh
RUN sh /usr/local/bin/app-cds.sh /app/tictactoe.jar /app/tictactoe.jsa -XX:+UseSerialGC -Xmx64m -Xmn12m \
    && chmod 0444 /app/tictactoe.jsa && rm /usr/local/bin/app-cds.sh
USER 10001:10001

ENV PORT=3306
EXPOSE 3306

# Late in the stage: a changed build argument invalidates the cache of every RUN after its ARG line.
ARG VERSION
ARG RUNTIME_IMAGE
LABEL org.opencontainers.image.title="tictactoe" \
      org.opencontainers.image.description="Tic-tac-toe on embedded Jetty 12, instrumented with Prometheus client_java 1.x" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="${RUNTIME_IMAGE}"

# A fixed 64 MiB heap: the smallest heap whose throughput stays within 5% of a 256 MiB one is 48 MiB
# (bench/RESULTS.md); 64 MiB keeps a third more for bursts and larger scrapes. The serial collector is the one the JVM
# picks itself for a 1-CPU container; it keeps the most memory free. A 12 MiB young generation instead of a third of
# the heap: the heap pages a replica touches follow it, and collections of it stay cheap because almost nothing a
# request allocates outlives it (with the trim below: resident memory after 20 s at 2,000 req/s 96-97 MiB instead of
# 121-123, throughput at saturation 4.8% lower for the page and 0.9% for a move). TrimNativeHeapInterval gives the C
# library's freed memory (most of it the JIT compilers' scratch space) back to the system every 5 s.
# The stack's 192M limit covers the resident memory measured at saturation with these flags (at most ~140 MiB). An
# OutOfMemoryError ends the process so that Swarm replaces the task instead of leaving it limping.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx64m", "-Xmn12m", "-XX:TrimNativeHeapInterval=5000", \
            "-XX:+ExitOnOutOfMemoryError", \
            "-XX:SharedArchiveFile=/app/tictactoe.jsa", "-jar", "/app/tictactoe.jar"]

# Liveness on loopback; shell form so that a changed PORT or MANAGEMENT_PORT is followed. curl ships with the Temurin
# image.
# Every 2 s from the start, so a task is healthy about 2 s after it starts (the JVM answers within a second) instead of
# after a first 10 s interval. Failures within the 10 s start period do not count: an image whose check never passes is
# unhealthy after about 10 + 3 x 2 s, well inside the stack's 30 s update monitor, so the rollout rolls back.
# dockerfilelint 1.8.0 flags this line "Invalid Argument Format": its option pattern (--\w+) cuts
# --start-period at the hyphen. The option is valid (Docker 17.05+); dockerfile-utils accepts it.
HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${MANAGEMENT_PORT:-${PORT}}/healthz" || exit 1
