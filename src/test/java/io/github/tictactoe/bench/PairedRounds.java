package io.github.tictactoe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Sums up the rounds of {@code bench/compare.sh}: each side's median, min and max, and the after/before ratio of each
 * round, the steadier figure, since the two sides of one round ran seconds apart and the machine's speed drifts
 * between rounds by more than most changes are worth.
 *
 * <p>Usage: {@code bench/compare.sh}, which writes the rounds as lines {@code before|after VALUE [NOTE]}, two lines a
 * round, in the order the round measured its sides (it alternates, so that neither side always runs second), and
 * passes the file.
 */
public final class PairedRounds {

    private PairedRounds() {
    }

    public static void main(String[] args) throws IOException {
        System.out.print(summary(Files.readAllLines(Path.of(args[0]))));
    }

    /** Three lines: the before side, the after side, and the ratios. */
    static String summary(List<String> lines) {
        List<Measure> measures = lines.stream().filter(line -> !line.isBlank()).map(Measure::parse).toList();
        StringBuilder out = new StringBuilder();
        for (String side : List.of("before", "after")) {
            List<Measure> sorted = measures.stream().filter(m -> m.side().equals(side))
                    .sorted(Comparator.comparingDouble(Measure::value)).toList();
            if (sorted.isEmpty()) {
                throw new IllegalArgumentException("no " + side + " round in " + lines);
            }
            out.append(String.format(Locale.ROOT, "- %s: median %s, min %s, max %s; all:%s%n", side,
                    median(sorted).text(), sorted.get(0).text(), sorted.get(sorted.size() - 1).text(),
                    sorted.stream().map(m -> " " + m.text() + (m.note().isEmpty() ? "" : " (" + m.note() + ")"))
                            .collect(Collectors.joining())));
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < measures.size(); i += 2) {
            ratios.add(ratio(measures.subList(i, Math.min(i + 2, measures.size())), i / 2 + 1, lines));
        }
        ratios.sort(null);
        out.append(String.format(Locale.ROOT, "- after/before, round by round: median %.3f, min %.3f, max %.3f; all:%s%n",
                median(ratios), ratios.get(0), ratios.get(ratios.size() - 1),
                ratios.stream().map(r -> String.format(Locale.ROOT, " %.3f", r)).collect(Collectors.joining())));
        return out.toString();
    }

    /** A round's after/before: its two lines, one of each side, in either order. */
    private static double ratio(List<Measure> round, int number, List<String> lines) {
        if (round.size() != 2 || round.get(0).side().equals(round.get(1).side())) {
            throw new IllegalArgumentException("round " + number + " is not one before and one after line: " + lines);
        }
        Measure first = round.get(0);
        Measure second = round.get(1);
        return first.side().equals("after") ? first.value() / second.value() : second.value() / first.value();
    }

    /** The middle one, the lower of the two middle ones for an even count: a value that was measured. */
    private static <T> T median(List<T> sorted) {
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** One side's figure in one round, as written, with what the script noted beside it (a p99, for one). */
    private record Measure(String side, double value, String text, String note) {

        static Measure parse(String line) {
            String[] fields = line.strip().split("\\s+", 3);
            if (fields.length < 2 || !(fields[0].equals("before") || fields[0].equals("after"))) {
                throw new IllegalArgumentException("not a round's line: " + line);
            }
            return new Measure(fields[0], Double.parseDouble(fields[1]), fields[1],
                    fields.length > 2 ? fields[2] : "");
        }
    }
}
