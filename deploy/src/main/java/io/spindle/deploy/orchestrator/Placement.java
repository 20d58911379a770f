package io.spindle.deploy.orchestrator;

import io.spindle.deploy.AppComponent;
import io.spindle.deploy.Scaler;
import io.spindle.deploy.Spread;
import io.spindle.deploy.orchestrator.ClusterState.HostView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a component should run: host id to instance count, from its scaler and the live hosts. A spreadscaler
 * shares its instances among the spreads by weight (largest remainder), each spread's share on the hosts matching
 * it, hosts already running the component first (so a reconcile never moves what may stay), then the least loaded.
 * A daemonscaler runs its instances on every matching host. Providers run at most once per host.
 *
 * @param hosts    host id to instances
 * @param desired  instances wanted in total
 * @param shortage why fewer than desired could be placed, or null
 */
record Placement(Map<String, Integer> hosts, int desired, String shortage) {

    /** Places component c (lattice id id) on hosts; running is where it runs now, load counts instances per host. */
    static Placement of(AppComponent c, List<HostView> hosts, Set<String> running, Map<String, Integer> load) {
        Scaler s = c.scaler().orElse(null);
        if (s == null || s.instances() == 0) return new Placement(Map.of(), 0, null);
        boolean provider = c.type() == AppComponent.Type.CAPABILITY;
        List<Spread> spreads = s.spreads().isEmpty() ? List.of(new Spread("any", Map.of(), Spread.DEFAULT_WEIGHT)) : s.spreads();
        Map<String, Integer> out = new LinkedHashMap<>();
        List<String> short_ = new ArrayList<>();
        if (s.kind() == Scaler.Kind.DAEMON) {
            int matched = 0;
            for (HostView h : hosts) {
                if (spreads.stream().noneMatch(sp -> sp.matches(h.labels()))) continue;
                out.put(h.id(), provider ? 1 : s.instances());
                matched++;
            }
            if (matched == 0) short_.add("no host matches " + describe(spreads));
            return new Placement(out, out.values().stream().mapToInt(Integer::intValue).sum() == 0 ? s.instances() : sumOf(out),
                    short_.isEmpty() ? null : String.join("; ", short_));
        }
        int[] shares = shares(s.instances(), spreads);
        for (int i = 0; i < spreads.size(); i++) {
            Spread sp = spreads.get(i);
            int want = shares[i];
            if (want == 0) continue;
            List<HostView> cands = new ArrayList<>(hosts.stream().filter(h -> sp.matches(h.labels())).toList());
            cands.sort(Comparator.<HostView>comparingInt(h -> running.contains(h.id()) ? 0 : 1)
                    .thenComparingInt(h -> out.getOrDefault(h.id(), 0))
                    .thenComparingInt(h -> load.getOrDefault(h.id(), 0))
                    .thenComparing(HostView::id));
            if (cands.isEmpty()) {
                short_.add("spread " + sp.name() + " wants " + want + " instance" + (want == 1 ? "" : "s") + " and no host matches " + describe(List.of(sp)));
                continue;
            }
            int placed = 0;
            for (int round = 0; placed < want; round++) {
                boolean any = false;
                for (HostView h : cands) {
                    if (placed == want) break;
                    if (provider && out.containsKey(h.id())) continue;
                    out.merge(h.id(), 1, Integer::sum);
                    placed++;
                    any = true;
                }
                if (!any || provider && round > 0) break;
            }
            if (placed < want) short_.add("spread " + sp.name() + " wants " + want + " and only " + placed + " host"
                    + (placed == 1 ? "" : "s") + " match " + describe(List.of(sp)) + " (a provider runs once per host)");
        }
        return new Placement(out, s.instances(), short_.isEmpty() ? null : String.join("; ", short_));
    }

    /** Instances per spread by weight, largest remainder first; all weights 0 share equally. */
    static int[] shares(int instances, List<Spread> spreads) {
        long total = 0;
        for (Spread sp : spreads) total += sp.weight();
        int[] out = new int[spreads.size()];
        if (total == 0) {
            for (int i = 0; i < out.length; i++) out[i] = instances / out.length + (i < instances % out.length ? 1 : 0);
            return out;
        }
        double[] rem = new double[out.length];
        int given = 0;
        for (int i = 0; i < out.length; i++) {
            double exact = (double) instances * spreads.get(i).weight() / total;
            out[i] = (int) Math.floor(exact);
            rem[i] = exact - out[i];
            given += out[i];
        }
        while (given < instances) {
            int best = 0;
            for (int i = 1; i < out.length; i++) if (rem[i] > rem[best]) best = i;
            out[best]++;
            rem[best] = -1;
            given++;
        }
        return out;
    }

    private static int sumOf(Map<String, Integer> m) {
        return m.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static String describe(List<Spread> spreads) {
        List<String> parts = new ArrayList<>();
        for (Spread sp : spreads) parts.add(sp.requirements().isEmpty() ? "(any labels)" : sp.requirements().toString());
        return String.join(" or ", parts);
    }
}
