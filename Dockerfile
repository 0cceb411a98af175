# syntax=docker/dockerfile:1.7
# Two stages: Maven builds the shaded jar, a Temurin JRE on Ubuntu noble runs it as a non-root user.

# ---- build ----------------------------------------------------------------------------------
FROM maven:3.9.9-eclipse-temurin-17-noble AS build
WORKDIR /build
# Dependencies first, in their own layer: it is rebuilt only when pom.xml changes.
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# ---- runtime --------------------------------------------------------------------------------
FROM eclipse-temurin:17.0.15_6-jre-noble

ARG VERSION=1.0.0
LABEL org.opencontainers.image.title="tictactoe" \
      org.opencontainers.image.description="Tic-tac-toe on embedded Jetty 12, instrumented with Prometheus client_java 1.x" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17.0.15_6-jre-noble"

# Ubuntu noble's image already has the user "ubuntu" with UID 1000, so the service takes 10001.
RUN groupadd --system --gid 10001 tictactoe \
    && useradd --system --uid 10001 --gid tictactoe --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin tictactoe

WORKDIR /app
COPY --from=build --chown=root:root --chmod=0444 /build/target/tictactoe.jar /app/tictactoe.jar
# AppCDS: a training run writes the classes it loaded to an archive that later starts map instead of parsing
# (bench/RESULTS.md: start-up ~1.0 s shorter on one core). Made here, not in the build stage, because an archive only
# works with the JVM build and the jar file that made it; the flags match the ENTRYPOINT's.
COPY --chmod=0555 src/main/docker/app-cds.sh /usr/local/bin/app-cds.sh
RUN app-cds.sh /app/tictactoe.jar /app/tictactoe.jsa -XX:+UseSerialGC -Xmx64m \
    && chmod 0444 /app/tictactoe.jsa
USER 10001:10001

ENV PORT=3306
EXPOSE 3306

# A fixed 64 MiB heap: the smallest heap whose throughput stays within 5% of a 256 MiB one is 48 MiB
# (bench/RESULTS.md); 64 MiB keeps a third more for bursts and larger scrapes. The serial collector is the one the JVM
# picks itself for a 1-CPU container; it keeps the most memory free.
# The stack's 256M limit covers the resident memory measured at saturation with these flags. An OutOfMemoryError ends
# the process so that Swarm replaces the task instead of leaving it limping.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", \
            "-XX:SharedArchiveFile=/app/tictactoe.jsa", "-jar", "/app/tictactoe.jar"]

# Liveness on loopback; shell form so that a changed PORT is followed. curl ships with the Temurin image.
# dockerfilelint 1.8.0 flags this line "Invalid Argument Format": its option pattern (--\w+) cuts
# --start-period at the hyphen. The option is valid (Docker 17.05+); dockerfile-utils accepts it.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/healthz" || exit 1
