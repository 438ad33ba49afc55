package dev.rendezvous.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The figures of one run, in order, for the human summary and {@code --json}. */
public final class BenchResult {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    BenchResult put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    public Map<String, Object> fields() {
        return fields;
    }

    public long count(String name) {
        Object v = fields.get(name);
        return v instanceof Number n ? n.longValue() : -1;
    }

    public double number(String name) {
        Object v = fields.get(name);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Adds latency percentiles in milliseconds under {@code latency_ms}. */
    BenchResult latency(Histogram h) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("n", h.getTotalCount());
        l.put("p50", ms(h.getValueAtPercentile(50)));
        l.put("p99", ms(h.getValueAtPercentile(99)));
        l.put("p999", ms(h.getValueAtPercentile(99.9)));
        l.put("max", ms(h.getMaxValue()));
        l.put("mean", Math.round(h.getMean() / 1e3) / 1e3);
        fields.put("latency_ms", l);
        return this;
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    public String json() {
        try {
            return new ObjectMapper().writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One {@code name: value} line per figure. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(String.format("  %-28s %s%n", k, v)));
        return sb.toString();
    }
}
