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

    /** Replaces any header of the same name, as {@code setHeader} does. */
    static void set(HttpServletResponse response, List<HttpField> fields) {
        ServletContextResponse jettyResponse = ServletContextResponse.getServletContextResponse(response);
        if (jettyResponse != null) {
            HttpFields.Mutable headers = jettyResponse.getHeaders();
            fields.forEach(headers::put);
        } else {
            fields.forEach(field -> response.setHeader(field.getName(), field.getValue()));
        }
    }
}
