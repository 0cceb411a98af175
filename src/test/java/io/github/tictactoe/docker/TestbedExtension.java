package io.github.tictactoe.docker;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives Docker test classes the run's one {@link Testbed}: started before the first such class, kept in the root store
 * (whose close at the end of the run stops the engine, also when tests failed), and handed to {@code @BeforeAll} and
 * test methods as a parameter. A testbed that cannot start (skipped, or failed) fails or skips every class the same way
 * without being tried again.
 */
public final class TestbedExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Testbed.class);

    /** The testbed, or why there is none. */
    private record Outcome(Testbed testbed, Throwable failure) implements AutoCloseable {

        @Override
        public void close() {
            if (testbed != null) {
                testbed.close();
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Throwable failure = outcome(context).failure();
        if (failure instanceof Exception exception) {
            throw exception;
        }
        if (failure instanceof Error error) {
            throw error;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Testbed.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return outcome(context).testbed();
    }

    private static Outcome outcome(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Outcome.class, type -> {
            try {
                return new Outcome(Testbed.start(), null);
            } catch (Throwable e) {
                return new Outcome(null, e);
            }
        }, Outcome.class);
    }
}
