package io.github.tictactoe.tools.password;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Prints the bcrypt hash of the password read from standard input, for Prometheus' web configuration: swarm/up.sh runs
 * it in the app's image, so that a host with Docker needs no htpasswd (Debian's apache2-utils) to create the secret.
 */
public final class PasswordHash {

    /** The cost htpasswd -B uses by default; Prometheus checks a login against it, and caches the result. */
    static final int COST = 10;
    /** bcrypt reads at most 72 bytes of a password; a longer one would be cut without a word. */
    static final int MAX_BYTES = 72;
    private static final int EXIT_USAGE = 2;

    private PasswordHash() {
    }

    /** Reads the password (one line; a trailing newline is not part of it) and prints its hash on one line. */
    public static void main(String[] args) throws IOException {
        String password = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        if (password.endsWith("\n")) {
            password = password.substring(0, password.length() - 1);
        }
        try {
            System.out.println(hash(password));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_USAGE);
        }
    }

    /** The password's bcrypt hash in the $2y$ form that htpasswd writes and Prometheus reads. */
    static String hash(String password) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_BYTES || password.contains("\n")) {
            throw new IllegalArgumentException("the password must be one line of 1 to " + MAX_BYTES
                    + " bytes (bcrypt reads no more), not " + bytes.length);
        }
        return new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hash(COST, bytes), StandardCharsets.UTF_8);
    }
}
