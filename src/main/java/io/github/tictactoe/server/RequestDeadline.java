package io.github.tictactoe.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection that has not brought a complete request within the deadline, counted from its opening or from
 * its last request, while no request is in progress. Jetty's idle timeout restarts with every byte received, so a
 * client trickling its headers a byte at a time would otherwise hold a connection for ever.
 */
final class RequestDeadline implements Connection.Listener {

    private final Scheduler scheduler;
    private final long deadlineMillis;

    RequestDeadline(Scheduler scheduler, Duration deadline) {
        this.scheduler = scheduler;
        this.deadlineMillis = deadline.toMillis();
    }

    @Override
    public void onOpened(Connection connection) {
        schedule(connection, connection.getMessagesIn());
    }

    private void schedule(Connection connection, long requestsSeen) {
        scheduler.schedule(() -> check(connection, requestsSeen), deadlineMillis, TimeUnit.MILLISECONDS);
    }

    private void check(Connection connection, long requestsSeen) {
        EndPoint endPoint = connection.getEndPoint();
        if (!endPoint.isOpen()) {
            return;
        }
        long requests = connection.getMessagesIn();
        boolean answeringOne = requests > connection.getMessagesOut();
        if (requests == requestsSeen && !answeringOne) {
            endPoint.close();
            return;
        }
        schedule(connection, requests);
    }
}
