package io.github.tictactoe.server;

import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionConfig;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.server.Handler;

/** Gzip for the text the page is made of, where it pays: Jetty's compression handler, set up for this site. */
final class ResponseCompression {

    /** Below this a response fits in one TCP segment anyway and gzip's CPU buys nothing; the favicon stays under it. */
    static final int MIN_COMPRESS_BYTES = 1024;
    /** The text types the site serves; images other than SVG are compressed already. */
    private static final String[] TEXT_TYPES = {
        "text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml", "text/plain"};

    private ResponseCompression() {
    }

    /**
     * Wraps {@code handler} so that GET and HEAD answers of the text types are gzipped for clients that accept it;
     * the move API's answers (POST, JSON, a hundred bytes) are not. Request bodies are never decompressed: the body
     * limit of {@code /api/move} then bounds what a client can make the server hold, and the servlet refuses a
     * compressed body with a 415. {@code /metrics} is left to client_java, which compresses its scrapes itself.
     */
    static CompressionHandler around(Handler handler, String metricsPath) {
        GzipCompression gzip = new GzipCompression();
        gzip.setMinCompressSize(MIN_COMPRESS_BYTES);
        CompressionConfig.Builder config = CompressionConfig.builder()
                .compressIncludeEncoding(gzip.getEncodingName())
                .compressIncludeMethod("GET")
                .compressIncludeMethod("HEAD")
                .compressExcludePath(metricsPath)
                .decompressExcludePath("/*");
        for (String type : TEXT_TYPES) {
            config.compressIncludeMimeType(type);
        }
        CompressionHandler compression = new CompressionHandler(handler);
        compression.putCompression(gzip);
        compression.putConfiguration("/", config.build());
        return compression;
    }
}
