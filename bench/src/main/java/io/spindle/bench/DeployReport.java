package io.spindle.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code spindle bench deploy} measured: per round deploy, move and host-loss recovery times (ms); the headline
 * numbers are the medians over the rounds (the first round compiles the component on each host, so it is also
 * reported on its own as the cold case).
 */
public record DeployReport(List<double[]> rounds, long heartbeatMs, long expiryMs, long samples, long points, int duplicates,
                           String natsVersion) {
    /** Goals of issue 8: deploy under 1 s, move under 2 s, recovery under the expiry plus 2 s. */
    public static final double DEPLOY_GOAL_MS = 1000, MOVE_GOAL_MS = 2000, LOSS_SLACK_MS = 2000;

    public DeployReport {
        rounds = List.copyOf(rounds);
    }

    /** Median of column i over the rounds. */
    public double median(int i) {
        double[] v = rounds.stream().mapToDouble(r -> r[i]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** {@code {"deploy_ms": a, "move_ms": b, "host_loss_recovery_ms": c, ...}}. */
    public String toJson() {
        List<String> rs = new ArrayList<>();
        for (double[] r : rounds)
            rs.add(String.format(Locale.ROOT, "{\"deploy_ms\": %.1f, \"move_ms\": %.1f, \"host_loss_recovery_ms\": %.1f}", r[0], r[1], r[2]));
        return String.format(Locale.ROOT, "{\"deploy_ms\": %.1f, \"move_ms\": %.1f, \"host_loss_recovery_ms\": %.1f, "
                        + "\"deploy_ms_cold\": %.1f, \"move_ms_cold\": %.1f, \"heartbeat_ms\": %d, \"host_expiry_ms\": %d, "
                        + "\"goals_ms\": {\"deploy\": %.0f, \"move\": %.0f, \"host_loss_recovery\": %d}, "
                        + "\"input_samples\": %d, \"output_points\": %d, \"repeats_deduplicated\": %d, \"output_equals_uninterrupted_run\": true, "
                        + "\"nats_server\": \"%s\", \"rounds\": [%s]}",
                median(0), median(1), median(2), rounds.get(0)[0], rounds.get(0)[1], heartbeatMs, expiryMs, DEPLOY_GOAL_MS, MOVE_GOAL_MS,
                expiryMs + (long) LOSS_SLACK_MS, samples, points, duplicates, natsVersion, String.join(", ", rs));
    }

    /** A readable table: each measure's median, cold value, goal and the ratio to the goal. */
    public String toTable() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-28s %10s %10s %10s %8s%n", "measure (median of " + rounds.size() + ")", "ms", "cold ms", "goal ms", "/goal"));
        row(b, "deploy (1 component, 2 prov.)", median(0), rounds.get(0)[0], DEPLOY_GOAL_MS);
        row(b, "move edge -> cloud, state", median(1), rounds.get(0)[1], MOVE_GOAL_MS);
        row(b, "host loss -> running again", median(2), rounds.get(0)[2], expiryMs + LOSS_SLACK_MS);
        b.append(String.format(Locale.ROOT, "heartbeat %d ms, host expiry %d ms; nats-server %s; rounds (deploy/move/loss ms): %s%n",
                heartbeatMs, expiryMs, natsVersion, String.join(" | ", rounds.stream().map(r -> Arrays.stream(r)
                        .mapToObj(x -> String.format(Locale.ROOT, "%.0f", x)).reduce((x, y) -> x + "/" + y).orElse("")).toList())));
        b.append(String.format(Locale.ROOT, "output: %d points from %d samples, equal to one uninterrupted run (%d repeats after the host losses de-duplicated by (series, t))",
                points, samples, duplicates));
        return b.toString();
    }

    private static void row(StringBuilder b, String name, double ms, double cold, double goal) {
        b.append(String.format(Locale.ROOT, "%-28s %10.0f %10.0f %10.0f %8.2f%n", name, ms, cold, goal, ms / goal));
    }
}
