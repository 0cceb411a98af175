package io.github.tictactoe.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The floor of the benchmark's ablation ladder: Jetty answering a folder's files from memory with nothing else, as a
 * bare core {@code Handler} or as one servlet, so that the shipped server's cost per request splits into Jetty's own
 * and that of each part the service adds.
 *
 * <p>Usage: {@code java -cp <test classpath> io.github.tictactoe.bench.BareServer handler|servlet FOLDER}; listens on
 * {@code PORT} at {@code HOST}; {@code /} is {@code FOLDER/index.html}, a missing file a 404.
 */
public final class BareServer {

    private BareServer() {
    }

    /** One file's bytes and the type Jetty's own table gives its name. */
    private record Content(byte[] bytes, String type) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !Set.of("handler", "servlet").contains(args[0])) {
            System.err.println("Usage: BareServer handler|servlet FOLDER");
            System.exit(2);
        }
        Map<String, Content> files = read(Path.of(args[1]));
        Server server = new Server(new QueuedThreadPool());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(System.getenv().getOrDefault("HOST", "127.0.0.1"));
        connector.setPort(Integer.parseInt(System.getenv().getOrDefault("PORT", "8080")));
        server.addConnector(connector);
        server.setHandler("handler".equals(args[0]) ? new FilesHandler(files) : servletContext(files));
        server.start();
        server.join();
    }

    /** Every file of the folder by its path, {@code /} for the index, and {@code /healthz} for the harness' probe. */
    private static Map<String, Content> read(Path folder) throws IOException {
        MimeTypes types = new MimeTypes();
        Map<String, Content> files = new HashMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put("/" + folder.relativize(path).toString().replace('\\', '/'),
                        new Content(Files.readAllBytes(path), types.getMimeByExtension(path.toString())));
            }
        }
        if (files.containsKey("/index.html")) {
            files.put("/", files.get("/index.html"));
        }
        files.put("/healthz", new Content("ok\n".getBytes(StandardCharsets.US_ASCII), "text/plain"));
        return Map.copyOf(files);
    }

    private static Handler servletContext(Map<String, Content> files) {
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new FilesServlet(files)), "/");
        return context;
    }

    /** Jetty's core API: no servlet layer at all. */
    private static final class FilesHandler extends Handler.Abstract.NonBlocking {
        private final Map<String, Content> files;

        FilesHandler(Map<String, Content> files) {
            this.files = files;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Content file = files.get(Request.getPathInContext(request));
            if (file == null) {
                Response.writeError(request, response, callback, 404);
                return true;
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.type());
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, file.bytes().length);
            response.write(true, ByteBuffer.wrap(file.bytes()), callback);
            return true;
        }
    }

    /** One servlet mapped on {@code /}: the servlet container and nothing of the service. */
    private static final class FilesServlet extends HttpServlet {
        private final transient Map<String, Content> files;

        FilesServlet(Map<String, Content> files) {
            this.files = files;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Content file = files.get(request.getRequestURI());
            if (file == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            response.setContentType(file.type());
            response.setContentLength(file.bytes().length);
            response.getOutputStream().write(file.bytes());
        }
    }
}
