# Maven builds the shaded jar; the image that runs it is FROM scratch: a Java runtime that jlink cuts from the build
# image's Temurin JDK down to the modules the jar uses, the C library files it needs, bash for the healthcheck, the jar
# and its start-up cache, run as a non-root user; docs/deployment.md, "The size of the image", has its size against
# Temurin's JRE image.
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
# The JVM's flags in two Java argument files, read by the training run and the entrypoint alike (jvm.args says why).
COPY src/main/docker/runtime-root.sh src/main/docker/healthcheck.sh src/main/docker/jvm.args src/main/docker/aot.args \
     /tmp/
RUN sh /tmp/runtime-root.sh /root-fs && cp /tmp/healthcheck.sh /root-fs/usr/local/bin/ \
    && chmod 0555 /root-fs/usr/local/bin/healthcheck.sh \
    && cp /tmp/jvm.args /tmp/aot.args /root-fs/app/ && chmod 0444 /root-fs/app/*.args

# ---- the start-up cache -----------------------------------------------------------------------------------------
# A training run writes what the JVM loaded, linked and profiled to Java 25's AOT cache (JEP 483/514), which later
# starts map instead of loading again: in a 1-CPU container the app answers sooner than with an AppCDS archive or the
# JDK's CDS alone (ImageIT measures the three; docs/performance.md). A cache only works with the JVM build, the jar
# file (path, size and time), the GC and the flags that made it, so it is made in a tree equal to the image's, with the
# entrypoint's argument files. The training requests come from the jar's own client: the image has no curl.
FROM scratch AS training
COPY --from=root /root-fs/ /
COPY --from=build /build/target/tictactoe.jar /app/tictactoe.jar
COPY src/main/docker/training-run.sh /tmp/
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8
RUN ["/bin/bash", "/tmp/training-run.sh", "/app/tictactoe.jar", "/app/tictactoe.aot", "@/app/jvm.args", \
     "@/app/aot.args", "-XX:AOTCacheOutput=/app/tictactoe.aot"]

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

# The flags are in /app/jvm.args (heap, collector, memory trim, exit on OutOfMemoryError) and /app/aot.args (the
# cache's), each with its reasons; the training run above used the same two files, so the cache matches.
ENTRYPOINT ["java", "@/app/jvm.args", "@/app/aot.args", "-XX:AOTCache=/app/tictactoe.aot", \
            "-jar", "/app/tictactoe.jar"]

# Liveness on loopback, following PORT and MANAGEMENT_PORT (src/main/docker/healthcheck.sh: bash's /dev/tcp, since
# the image has neither curl nor wget).
# Every 2 s from the start, so a task is healthy about 2 s after it starts (the JVM answers within a second) instead of
# after a first 10 s interval. Failures within the 10 s start period do not count: an image whose check never passes is
# unhealthy after about 10 + 3 x 2 s, well inside the stack's 30 s update monitor, so the rollout rolls back.
# dockerfilelint 1.8.0 flags this line "Invalid Argument Format": its option pattern (--\w+) cuts
# --start-period at the hyphen. The option is valid (Docker 17.05+); dockerfile-utils accepts it.
HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=3 CMD ["/usr/local/bin/healthcheck.sh"]
