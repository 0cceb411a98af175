package io.github.tictactoe.testing;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.stream.Collectors;

/** Reads values out of a registry's snapshot, the same data {@code /metrics} writes, without parsing text. */
public final class MetricValues {

    private final MetricSnapshots snapshots;

    private MetricValues(MetricSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    public static MetricValues scrape(PrometheusRegistry registry) {
        return new MetricValues(registry.scrape());
    }

    /** A counter's value for exactly these labels; 0 when the series does not exist. */
    public double counter(String name, String... labels) {
        CounterSnapshot snapshot = (CounterSnapshot) family(name);
        return snapshot == null ? 0 : snapshot.getDataPoints().stream()
                .filter(p -> p.getLabels().equals(Labels.of(labels)))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    }

    /** The sum of a counter's series whose labels include these (name, value, ...); 0 when there is none. */
    public double counterSum(String name, String... someLabels) {
        CounterSnapshot snapshot = (CounterSnapshot) family(name);
        Labels wanted = Labels.of(someLabels);
        return snapshot == null ? 0 : snapshot.getDataPoints().stream()
                .filter(p -> wanted.stream().allMatch(label -> label.getValue().equals(p.getLabels().get(label.getName()))))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    }

    public double gauge(String name, String... labels) {
        GaugeSnapshot snapshot = (GaugeSnapshot) family(name);
        return snapshot == null ? Double.NaN : snapshot.getDataPoints().stream()
                .filter(p -> p.getLabels().equals(Labels.of(labels)))
                .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue).findFirst().orElse(Double.NaN);
    }

    /** A histogram's observation count for exactly these labels; 0 when the series does not exist. */
    public long histogramCount(String name, String... labels) {
        HistogramSnapshot.HistogramDataPointSnapshot point = histogram(name, labels);
        return point == null ? 0 : point.getCount();
    }

    public double histogramSum(String name, String... labels) {
        HistogramSnapshot.HistogramDataPointSnapshot point = histogram(name, labels);
        return point == null ? 0 : point.getSum();
    }

    private HistogramSnapshot.HistogramDataPointSnapshot histogram(String name, String... labels) {
        HistogramSnapshot snapshot = (HistogramSnapshot) family(name);
        return snapshot == null ? null : snapshot.getDataPoints().stream()
                .filter(p -> p.getLabels().equals(Labels.of(labels))).findFirst().orElse(null);
    }

    /** How many label sets a family has: the series it contributes, before a histogram's buckets. */
    public int labelSets(String name) {
        MetricSnapshot snapshot = family(name);
        return snapshot == null ? 0 : snapshot.getDataPoints().size();
    }

    /**
     * Every label set of the families whose name starts with {@code prefix}: what grows when requests add series.
     * (The JVM families grow on their own, for example a memory pool's first garbage collection.)
     */
    public int labelSetsOfFamiliesStartingWith(String prefix) {
        return snapshots.stream().filter(s -> s.getMetadata().getPrometheusName().startsWith(prefix))
                .mapToInt(s -> s.getDataPoints().size()).sum();
    }

    public boolean anyLabelValue(String name, String label, String value) {
        MetricSnapshot snapshot = family(name);
        return snapshot != null && snapshot.getDataPoints().stream()
                .map(DataPointSnapshot::getLabels).anyMatch(l -> value.equals(l.get(label)));
    }

    /** Every series of a counter with its value, for a failure message that shows what was recorded instead. */
    public String counterSeries(String name) {
        CounterSnapshot snapshot = (CounterSnapshot) family(name);
        return snapshot == null ? "none" : snapshot.getDataPoints().stream()
                .map(p -> p.getLabels() + "=" + p.getValue()).collect(Collectors.joining(", "));
    }

    /** The family as exposed under {@code name}; client_java keeps counters and infos without their suffix. */
    private MetricSnapshot family(String name) {
        String base = name.replaceFirst("_(total|info)$", "");
        return snapshots.stream().filter(s -> s.getMetadata().getPrometheusName().equals(base))
                .findFirst().orElse(null);
    }
}
