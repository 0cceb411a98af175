package io.github.tictactoe.server;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The parts of the server that can be left out, so that a benchmark can measure what each one costs. */
public enum Part {
    /** The outermost handler: lets requests in flight finish on stop, and turns readiness down. */
    DRAIN("drain"),
    /** Gzip of text responses for clients that accept it. */
    COMPRESSION("compression"),
    /** The filter that counts and times the service's requests (the JVM's metrics and {@code /metrics} stay). */
    HTTP_METRICS("metrics"),
    /** The filter that adds the security headers to every response (error pages get them from the error handler). */
    SECURITY_HEADERS("security-headers"),
    /** The filter that lets browsers keep a static file asked for by this release's version for a year. */
    ASSET_CACHE("asset-cache"),
    /** The access log on stdout. */
    ACCESS_LOG("access-log");

    private final String option;

    Part(String option) {
        this.option = option;
    }

    /** The part's name on a command line, e.g. {@code security-headers}. */
    public String option() {
        return option;
    }

    /** The part of that command-line name. */
    public static Part named(String option) {
        return Arrays.stream(values()).filter(part -> part.option.equals(option)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown part " + option + "; parts are "
                        + Arrays.stream(values()).map(Part::option).collect(Collectors.joining(", "))));
    }
}
