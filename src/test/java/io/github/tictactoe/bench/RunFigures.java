package io.github.tictactoe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statistics and Markdown of {@code bench/run.sh}, which drives the servers and the load and hands its raw figures
 * here: the median rows of a table, the ratios between them, start-up times, the JVM's native memory account.
 *
 * <p>Usage: {@code java -cp target/test-classes io.github.tictactoe.bench.RunFigures COMMAND ARGS}, one command per
 * call, as run.sh's functions of the same names say.
 */
public final class RunFigures {

    private static final Pattern NMT_PART = Pattern.compile("^-\\s*(.*?)\\s*\\(");
    private static final Pattern NMT_COMMITTED = Pattern.compile("committed=(\\d+)KB");

    private RunFigures() {
    }

    public static void main(String[] args) throws IOException {
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        String out = switch (args[0]) {
            case "rows" -> rows(stdin(), rest.get(1), rest.contains("--steps"), Path.of(rest.get(0)));
            case "median-of" -> median(Path.of(rest.get(0)), rest.get(1), rest.get(2), rest.get(3));
            case "ratio" -> format("%.2f", Double.parseDouble(rest.get(0)) / Double.parseDouble(rest.get(1)));
            case "median" -> plain(median(numbers(rest)));
            case "median-ms" -> milliseconds(numbers(rest));
            case "scrapes" -> scrapes(stdin());
            case "nmt" -> String.join("\n", nmt(stdin()));
            case "nmt-table" -> nmtTable(stdin());
            case "first-within" -> firstWithin(Path.of(rest.get(0)), rest.get(1), Double.parseDouble(rest.get(2)),
                    rest.subList(3, rest.size()));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        };
        System.out.println(out);
    }

    /**
     * One Markdown row per target at these connections, in the order they first appear. A round's line is
     * {@code label|requests rps p50 p99 non2xx cpu_us} as bench/lib.sh's run_wrk prints it; a row shows the round
     * of median requests/s (its latencies, CPU and errors), and the min-max of requests/s over the rounds. With
     * {@code steps}, a column after the CPU gives each row's CPU minus the row above's. Each row's medians are
     * appended to {@code medians} as {@code label|connections|rps|cpu}, for {@link #median}.
     */
    static String rows(List<String> rounds, String connections, boolean steps, Path medians) throws IOException {
        Map<String, List<Round>> byTarget = new LinkedHashMap<>();
        for (String line : rounds) {
            if (!line.isBlank()) {
                String[] parts = line.split("\\|", 2);
                byTarget.computeIfAbsent(parts[0], label -> new ArrayList<>()).add(Round.parse(parts[1]));
            }
        }
        StringBuilder table = new StringBuilder();
        StringBuilder kept = new StringBuilder();
        Double previousCpu = null;
        for (Map.Entry<String, List<Round>> target : byTarget.entrySet()) {
            List<Round> sorted = target.getValue().stream().sorted(Comparator.comparingDouble(Round::rps)).toList();
            Round median = sorted.get((sorted.size() - 1) / 2);
            String step = previousCpu == null ? "" : format("%+.2f", median.cpu() - previousCpu);
            table.append(format("| %s | %s | %.0f | %.0f-%.0f | %s | %s | %.2f |%s %s |%n", target.getKey(),
                    connections, median.rps(), sorted.get(0).rps(), sorted.get(sorted.size() - 1).rps(), median.p50(),
                    median.p99(), median.cpu(), steps ? " " + step + " |" : "", median.non2xx()));
            kept.append(format("%s|%s|%.0f|%.2f%n", target.getKey(), connections, median.rps(), median.cpu()));
            previousCpu = median.cpu();
        }
        Files.writeString(medians, kept, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return table.toString().stripTrailing();
    }

    /** A target's median requests/s ({@code rps}) or CPU us per request ({@code cpu}), as {@link #rows} kept it. */
    static String median(Path medians, String label, String connections, String field) throws IOException {
        String found = null;
        for (String line : Files.readAllLines(medians)) {
            String[] parts = line.split("\\|");
            if (parts[0].equals(label) && parts[1].equals(connections)) {
                found = field.equals("rps") ? parts[2] : parts[3];
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no row " + label + " at " + connections + " connections");
        }
        return found;
    }

    /** The first label whose median requests/s is within {@code percent} of the last label's. */
    static String firstWithin(Path medians, String connections, double percent, List<String> labels)
            throws IOException {
        double best = Double.parseDouble(median(medians, labels.get(labels.size() - 1), connections, "rps"));
        for (String label : labels) {
            if (Double.parseDouble(median(medians, label, connections, "rps")) >= (1 - percent / 100) * best) {
                return label;
            }
        }
        throw new AssertionError("the last label is within any percent of itself");
    }

    /** The median; of an even count, the mean of the middle two. */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2;
    }

    /** "1234 ms (1200-1300)": the median and the range of whole milliseconds. */
    static String milliseconds(List<Double> values) {
        return format("%d ms (%d-%d)", (long) median(values), values.stream().mapToLong(Double::longValue).min()
                .orElseThrow(), values.stream().mapToLong(Double::longValue).max().orElseThrow());
    }

    /** Curl's {@code time_total size_download} of each scrape: the median and max time, and the size. */
    static String scrapes(List<String> lines) {
        List<double[]> scrapes = lines.stream().filter(line -> !line.isBlank())
                .map(line -> Arrays.stream(line.strip().split("\\s+")).mapToDouble(Double::parseDouble).toArray())
                .sorted(Comparator.comparingDouble(scrape -> scrape[0])).toList();
        return format("%.2f ms median, %.2f ms max of %d scrapes by curl; %d bytes",
                median(scrapes.stream().map(scrape -> scrape[0]).toList()) * 1000,
                scrapes.get(scrapes.size() - 1)[0] * 1000, scrapes.size(), (long) scrapes.get(0)[1]);
    }

    /** {@code jcmd PID VM.native_memory summary} as {@code part|KiB committed} lines, the total first. */
    static List<String> nmt(List<String> summary) {
        List<String> parts = new ArrayList<>();
        for (String line : summary) {
            Matcher committed = NMT_COMMITTED.matcher(line);
            Matcher part = NMT_PART.matcher(line);
            if (line.startsWith("Total") && committed.find()) {
                parts.add("Total|" + committed.group(1));
            } else if (part.find() && committed.find()) {
                parts.add(part.group(1) + "|" + committed.group(1));
            }
        }
        return parts;
    }

    /**
     * Lines {@code server|part|KiB} of the app, the one-servlet floor and the one-Handler floor as Markdown rows: each
     * part with the app's, the servlet floor's, their difference and the Handler floor's; parts all zero left out.
     */
    static String nmtTable(List<String> lines) {
        Map<String, Map<String, Long>> byPart = new LinkedHashMap<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                String[] fields = line.split("\\|");
                byPart.computeIfAbsent(fields[1], part -> new LinkedHashMap<>()).put(fields[0],
                        Long.parseLong(fields[2]));
            }
        }
        StringBuilder rows = new StringBuilder();
        byPart.forEach((part, kib) -> {
            long app = kib.getOrDefault("app", 0L);
            long servlet = kib.getOrDefault("servlet", 0L);
            if (app + servlet > 0) {
                rows.append(format("| %s | %d | %d | %+d | %d |%n", part, app, servlet, app - servlet,
                        kib.getOrDefault("handler", 0L)));
            }
        });
        return rows.toString().stripTrailing();
    }

    /** A number as it would be written by hand: 101, 101.5. */
    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static List<Double> numbers(List<String> words) {
        return words.stream().flatMap(word -> Arrays.stream(word.trim().split("\\s+"))).filter(w -> !w.isEmpty())
                .map(Double::parseDouble).toList();
    }

    private static List<String> stdin() throws IOException {
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().toList();
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    /** One wrk run as run_wrk prints it. */
    private record Round(double rps, String p50, String p99, String non2xx, double cpu) {

        static Round parse(String figures) {
            String[] f = figures.strip().split("\\s+");
            if (f.length != 6) {
                throw new IllegalArgumentException("not a run_wrk line: " + figures);
            }
            return new Round(Double.parseDouble(f[1]), f[2], f[3], f[4], Double.parseDouble(f[5]));
        }
    }
}
