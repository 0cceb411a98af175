package io.github.tictactoe.server;

import io.github.tictactoe.jvm.HotSpotFlags;

/**
 * Tells Jetty how many object references fit in a cache line before its first thread pool is built: unless the
 * system property is set, Jetty's {@code MemoryUtils} asks the platform MBean server whether references are
 * compressed, and building that server (every platform MBean registered) is a cost of start-up and memory for one
 * flag that the HotSpot diagnostic bean answers directly.
 */
final class JettyCacheLine {

    private static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
    private static final String CACHE_LINE_BYTES = "org.eclipse.jetty.util.cacheLineBytes";
    /** Jetty's own default for {@link #CACHE_LINE_BYTES}. */
    private static final int DEFAULT_CACHE_LINE_BYTES = 64;

    private JettyCacheLine() {
    }

    /** Sets the property to the value Jetty would work out itself; leaves it to Jetty when set or not answerable. */
    static void tellJetty() {
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) != null) {
            return;
        }
        HotSpotFlags.value("UseCompressedOops").map(Boolean::parseBoolean).ifPresent(compressedReferences ->
                System.setProperty(REFERENCES_PER_CACHE_LINE,
                        Integer.toString(cacheLineBytes() / (compressedReferences ? Integer.BYTES : Long.BYTES))));
    }

    /** Read as Jetty reads it: a value that is not a decimal number counts as the default. */
    private static int cacheLineBytes() {
        try {
            return Integer.parseInt(System.getProperty(CACHE_LINE_BYTES, Integer.toString(DEFAULT_CACHE_LINE_BYTES)));
        } catch (NumberFormatException e) {
            return DEFAULT_CACHE_LINE_BYTES;
        }
    }
}
