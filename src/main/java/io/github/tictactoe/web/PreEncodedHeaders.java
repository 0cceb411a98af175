package io.github.tictactoe.web;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/** Sets headers encoded once on Jetty's response, or by name and value on a response Jetty did not make. */
final class PreEncodedHeaders {

    private PreEncodedHeaders() {
    }

    /**
     * Adds the fields without looking for ones of the same name, as {@code addHeader} does: for a response known to
     * have none of them yet, it saves {@link #set}'s search of every field already there for each one it puts.
     */
    static void add(HttpServletResponse response, List<HttpField> fields) {
        write(response, fields, false);
    }

    /** Replaces any header of the same name, as {@code setHeader} does. */
    static void set(HttpServletResponse response, List<HttpField> fields) {
        write(response, fields, true);
    }

    private static void write(HttpServletResponse response, List<HttpField> fields, boolean replace) {
        ServletContextResponse jettyResponse = ServletContextResponse.getServletContextResponse(response);
        HttpFields.Mutable headers = jettyResponse == null ? null : jettyResponse.getHeaders();
        for (HttpField field : fields) {
            if (headers == null && replace) {
                response.setHeader(field.getName(), field.getValue());
            } else if (headers == null) {
                response.addHeader(field.getName(), field.getValue());
            } else if (replace) {
                headers.put(field);
            } else {
                headers.add(field);
            }
        }
    }
}
