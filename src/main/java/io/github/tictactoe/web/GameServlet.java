package io.github.tictactoe.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Serves the game page: the {@code index.html} template with this instance's version and replica filled in. */
public final class GameServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final byte[] page;

    /**
     * @param template the page with {@code {{version}}} and {@code {{replica}}} placeholders
     */
    public GameServlet(String template, String version, String replica) {
        // Version and replica never change while the process runs, so the page is rendered once.
        this.page = render(template, Map.of("{{version}}", version, "{{replica}}", replica))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/html;charset=utf-8");
        // Each replica renders its own name into the page, so browsers must revalidate rather than reuse it.
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }

    static String render(String template, Map<String, String> values) {
        String page = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            page = page.replace(value.getKey(), escapeHtml(value.getValue()));
        }
        return page;
    }

    static String escapeHtml(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
