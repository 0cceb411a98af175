package io.github.tictactoe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench/run.sh's figures: rows from the round of median throughput, medians kept for ratios, NMT as a table. */
class RunFiguresTest {

    @TempDir
    Path folder;

    @Test
    void aRowShowsTheRoundOfMedianThroughputAndTheRangeOfAllRounds() throws Exception {
        Path medians = folder.resolve("medians");
        List<String> rounds = List.of(
                "app GET /|30000 3000.4 1.10ms 4.00ms 0 21.50",
                "nginx GET /|90000 9000.0 0.50ms 1.00ms 0 7.00",
                "app GET /|29000 2900.0 1.20ms 5.00ms 0 22.00",
                "nginx GET /|80000 8000.0 0.60ms 1.10ms 0 7.50",
                "app GET /|31000 3100.0 1.00ms 3.00ms 2 20.00",
                "nginx GET /|85000 8500.0 0.55ms 1.05ms 0 7.25");

        String rows = RunFigures.rows(rounds, "16", false, medians);

        assertThat(rows.lines()).containsExactly(
                "| app GET / | 16 | 3000 | 2900-3100 | 1.10ms | 4.00ms | 21.50 | 0 |",
                "| nginx GET / | 16 | 8500 | 8000-9000 | 0.55ms | 1.05ms | 7.25 | 0 |");
        assertThat(RunFigures.median(medians, "app GET /", "16", "cpu")).isEqualTo("21.50");
        assertThat(RunFigures.median(medians, "nginx GET /", "16", "rps")).isEqualTo("8500");
        assertThatThrownBy(() -> RunFigures.median(medians, "app GET /", "64", "cpu"))
                .hasMessageContaining("no row app GET / at 64 connections");
    }

    @Test
    void stepsGiveEachRowsCpuMinusTheRowAbove() throws Exception {
        String rows = RunFigures.rows(List.of("nginx|100 10 1ms 2ms 0 7.00", "bare|100 10 1ms 2ms 0 9.50",
                "app|100 10 1ms 2ms 0 9.25"), "16", true, folder.resolve("medians"));

        assertThat(rows.lines()).containsExactly(
                "| nginx | 16 | 10 | 10-10 | 1ms | 2ms | 7.00 |  | 0 |",
                "| bare | 16 | 10 | 10-10 | 1ms | 2ms | 9.50 | +2.50 | 0 |",
                "| app | 16 | 10 | 10-10 | 1ms | 2ms | 9.25 | -0.25 | 0 |");
    }

    @Test
    void aLineThatRunWrkDidNotPrintIsRefused() {
        assertThatThrownBy(() -> RunFigures.rows(List.of("app|100 ? ? ? 0"), "16", false, folder.resolve("m")))
                .hasMessageContaining("not a run_wrk line: 100 ? ? ? 0");
    }

    @Test
    void theFirstHeapWithinFivePercentOfTheLargest() throws Exception {
        Path medians = folder.resolve("medians");
        RunFigures.rows(List.of("-Xmx16m|1 900 1ms 1ms 0 1", "-Xmx32m|1 960 1ms 1ms 0 1", "-Xmx64m|1 1000 1ms 1ms 0 1"),
                "64", false, medians);

        assertThat(RunFigures.firstWithin(medians, "64", 5, List.of("-Xmx16m", "-Xmx32m", "-Xmx64m")))
                .isEqualTo("-Xmx32m");
    }

    @Test
    void mediansOfOddAndEvenCountsAndMillisecondsWithTheirRange() {
        assertThat(RunFigures.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(RunFigures.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(RunFigures.plain(101.0)).isEqualTo("101");
        assertThat(RunFigures.plain(101.5)).isEqualTo("101.5");
        assertThat(RunFigures.milliseconds(List.of(1250.0, 1200.0, 1300.0, 1211.0))).isEqualTo("1230 ms (1200-1300)");
    }

    @Test
    void scrapesGiveTheMedianAndMaxTimeAndTheSize() {
        assertThat(RunFigures.scrapes(List.of("0.002 5000", "0.001 5000", "0.004 5000", "0.003 5000")))
                .isEqualTo("2.50 ms median, 4.00 ms max of 4 scrapes by curl; 5000 bytes");
    }

    @Test
    void theNativeMemorySummaryAsPartsAndAsATableBesideTheFloors() {
        List<String> summary = List.of("Native Memory Tracking:", "",
                "Total: reserved=1450000KB, committed=124408KB",
                "       malloc: 20000KB #1000", "",
                "-                 Java Heap (reserved=65536KB, committed=65536KB)",
                "                            (mmap: reserved=65536KB, committed=65536KB)", "",
                "-                     Class (reserved=1048576KB, committed=745KB)",
                "-                   Unknown (reserved=0KB, committed=0KB)");

        List<String> parts = RunFigures.nmt(summary);

        assertThat(parts).containsExactly("Total|124408", "Java Heap|65536", "Class|745", "Unknown|0");
        List<String> table = RunFigures.nmtTable(List.of("app|Total|124408", "app|Class|745", "app|Unknown|0",
                "servlet|Total|113710", "servlet|Class|415", "servlet|Unknown|0", "handler|Total|106505",
                "handler|Class|362")).lines().toList();
        assertThat(table).containsExactly("| Total | 124408 | 113710 | +10698 | 106505 |",
                "| Class | 745 | 415 | +330 | 362 |");
    }
}
