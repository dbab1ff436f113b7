package io.ringwall.sim.scenario;

import io.ringwall.sim.Violation;

import java.util.List;

/**
 * The outcome of one scenario run. {@code maxGapMs} is the longest interval with no data delivered
 * on any watched flow (up to the end of the run, or its deliberate close).
 */
public record ScenarioResult(String scenario, long seed, int nodes, int connectionsTotal, int connectionsSurvived,
                             int connectionsReset, double maxGapMs, List<Violation> invariantViolations,
                             long traceHash, double udpMaxGapMs) {
    public ScenarioResult(String scenario, long seed, int nodes, int connectionsTotal, int connectionsSurvived,
                          int connectionsReset, double maxGapMs, List<Violation> invariantViolations, long traceHash) {
        this(scenario, seed, nodes, connectionsTotal, connectionsSurvived, connectionsReset, maxGapMs,
                invariantViolations, traceHash, 0);
    }

    /** Violations listed in the JSON; the count is always complete. */
    public static final int VIOLATIONS_IN_JSON_MAX = 20;

    public ScenarioResult {
        invariantViolations = List.copyOf(invariantViolations);
    }

    /** Hand-written JSON with a stable key order, so results diff cleanly. */
    public String toJson() {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"scenario\":").append(quote(scenario))
                .append(",\"seed\":").append(seed)
                .append(",\"nodes\":").append(nodes)
                .append(",\"connections_total\":").append(connectionsTotal)
                .append(",\"connections_survived\":").append(connectionsSurvived)
                .append(",\"connections_reset\":").append(connectionsReset)
                .append(",\"max_gap_ms\":").append(String.format(java.util.Locale.ROOT, "%.3f", maxGapMs))
                .append(",\"udp_max_gap_ms\":").append(String.format(java.util.Locale.ROOT, "%.3f", udpMaxGapMs))
                .append(",\"invariant_violations\":").append(invariantViolations.size())
                .append(",\"trace_hash\":\"").append(String.format("%016x", traceHash)).append('"')
                .append(",\"violations\":[");
        for (int i = 0; i < Math.min(invariantViolations.size(), VIOLATIONS_IN_JSON_MAX); i++) {
            b.append(i == 0 ? "" : ",").append(quote(invariantViolations.get(i).toString()));
        }
        return b.append("]}").toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
