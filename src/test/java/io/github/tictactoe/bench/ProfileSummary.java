package io.github.tictactoe.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Sums the execution samples of a JFR recording by method and by class, each counted once per stack, so that what a
 * part of the server costs reads as its share of all samples and in samples per 1,000 requests, callees included
 * ("total") or only its own code ("self").
 *
 * <p>Usage: {@code bench/profile.sh}, which records the profiles this reads.
 */
public final class ProfileSummary {

    private static final String SAMPLE = "jdk.ExecutionSample";

    private ProfileSummary() {
    }

    /** Arguments: a recording, the requests served while it recorded, and how many rows of each table to print. */
    public static void main(String[] args) throws IOException {
        long requests = Long.parseLong(args[1]);
        int rows = Integer.parseInt(args[2]);
        List<RecordedEvent> samples = RecordingFile.readAllEvents(Path.of(args[0])).stream()
                .filter(event -> event.getEventType().getName().equals(SAMPLE) && event.getStackTrace() != null)
                .toList();
        Map<String, Integer> selfByMethod = new HashMap<>();
        Map<String, Integer> totalByMethod = new HashMap<>();
        Map<String, Integer> totalByClass = new HashMap<>();
        for (RecordedEvent sample : samples) {
            List<RecordedFrame> frames = sample.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            selfByMethod.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
            Set<String> methods = new HashSet<>();
            Set<String> classes = new HashSet<>();
            for (RecordedFrame frame : frames) {
                methods.add(name(frame.getMethod()));
                classes.add(frame.getMethod().getType().getName());
            }
            methods.forEach(method -> totalByMethod.merge(method, 1, Integer::sum));
            classes.forEach(type -> totalByClass.merge(type, 1, Integer::sum));
        }
        System.out.printf("%d execution samples, %.2f per 1,000 requests%n", samples.size(),
                1000.0 * samples.size() / requests);
        Table table = new Table(samples.size(), requests, rows);
        table.print("self, by method", selfByMethod);
        table.print("total (callees included), by class", totalByClass);
        table.print("total (callees included), by method", totalByMethod);
    }

    private static String name(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }

    /** Prints the largest counts as a share of all samples and as samples per 1,000 requests. */
    private record Table(int samples, long requests, int rows) {

        void print(String title, Map<String, Integer> counts) {
            System.out.printf("%n%s%n share  per 1,000 requests%n", title);
            counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(rows)
                    .forEach(entry -> System.out.printf("%5.1f%%  %7.3f  %s%n", 100.0 * entry.getValue() / samples,
                            1000.0 * entry.getValue() / requests, entry.getKey()));
        }
    }
}
