package io.github.tictactoe.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;

/** The static site packaged in the jar ({@code target/classes} when run from the IDE): its folder, page and files. */
final class StaticSite {

    /** The file that marks the site's folder; it is also the page template. */
    private static final String INDEX = "/webapp/index.html";
    /** Cache bounds: the site is a few files of a few KiB, so these hold it all with room to spare. */
    private static final int MAX_CACHED_FILES = 64;
    private static final int MAX_CACHED_FILE_BYTES = 256 * 1024;
    private static final int MAX_CACHE_BYTES = 4 * 1024 * 1024;

    private StaticSite() {
    }

    /** The folder holding index.html, whether it sits in a jar or on disk. */
    static Resource folder(Server server) {
        URL index = StaticSite.class.getResource(INDEX);
        if (index == null) {
            throw new IllegalStateException("The static site is missing from the classpath: " + INDEX);
        }
        try {
            String folder = index.toURI().toString();
            folder = folder.substring(0, folder.length() - "index.html".length());
            return ResourceFactory.of(server).newResource(new URI(folder));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the static site at " + index, e);
        }
    }

    /** The page template that {@code GameServlet} fills in. */
    static String page() {
        try (InputStream in = StaticSite.class.getResourceAsStream(INDEX)) {
            if (in == null) {
                throw new IllegalStateException("The page template is missing: " + INDEX);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + INDEX, e);
        }
    }

    /** Jetty's {@code DefaultServlet} for the site's files, with its cache turned on. */
    static ServletHolder files() {
        ServletHolder holder = new ServletHolder("default", new DefaultServlet());
        holder.setInitParameter("dirAllowed", "false");
        holder.setInitParameter("etags", "true");
        holder.setInitParameter("welcomeServlets", "false");
        // Jetty 12 caches nothing unless asked: without these, every request reads its file out of the jar again
        // (bench/RESULTS.md measures the cost). The jar cannot change while the server runs, so entries are never
        // revalidated; the limits bound the cache even under a flood of paths that do not exist.
        holder.setInitParameter("maxCachedFiles", Integer.toString(MAX_CACHED_FILES));
        holder.setInitParameter("maxCachedFileSize", Integer.toString(MAX_CACHED_FILE_BYTES));
        holder.setInitParameter("maxCacheSize", Integer.toString(MAX_CACHE_BYTES));
        holder.setInitParameter("cacheValidationTime", "-1");
        return holder;
    }
}
