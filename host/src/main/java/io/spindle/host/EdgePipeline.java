package io.spindle.host;

import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.Link;
import io.spindle.providers.Interfaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standard edge pipeline, set up on a host through the control interface exactly as an operator would with the
 * CLI: sources -> data stream -> messaging provider {@code msg} -> downsampling component {@code lttb} -> data stream ->
 * store provider {@code store} (tier 0 from the component, higher tiers and the raw ring in the store). Every step is
 * idempotent, so running it again after a host restart resumes the same pipeline (the component from its checkpoint,
 * the store from its committed stream position).
 *
 * @param component   the LTTB component module (a file)
 * @param bucketNanos tier-0 bucket width (the component's bucket; the store builds coarser tiers from it)
 * @param store       the store provider's settings ({@code uri}, {@code tier-factor}, ...; bucket-ms is derived)
 * @param sources     source providers: id -> (ref, settings)
 */
public record EdgePipeline(Path component, long bucketNanos, Map<String, String> store, Map<String, SourceSpec> sources) {
    /** Ids of the pipeline's fixed parts. */
    public static final String MESSAGING_ID = "msg", COMPONENT_ID = "lttb", STORE_ID = "store";

    /** One source: a provider ref ({@code spindle:source-shdr}, ...) and its settings. */
    public record SourceSpec(String ref, Map<String, String> settings) {
    }

    public EdgePipeline {
        if (bucketNanos < 1_000_000L || bucketNanos % 1_000_000L != 0)
            throw new IllegalArgumentException("bucket must be a whole number of milliseconds, got " + bucketNanos + " ns");
        store = Map.copyOf(store);
        sources = new LinkedHashMap<>(sources);
    }

    /** Sets the pipeline up on hostId (idempotent); returns what it did, one line per step. */
    public List<String> apply(LatticeClient client, String hostId) {
        String lattice = client.subjects().lattice();
        String data = "spindle.data." + lattice;
        List<String> steps = new ArrayList<>();
        Map<String, String> storeCfg = new LinkedHashMap<>(store);
        storeCfg.put("bucket-ms", Long.toString(bucketNanos / 1_000_000L));
        client.putConfig(STORE_ID + "-cfg", storeCfg);
        client.startProvider(hostId, Interfaces.STORE_PROVIDER, STORE_ID, List.of(STORE_ID + "-cfg"));
        steps.add("store provider '" + STORE_ID + "' reads " + data + ".{raw,lttb,event}.>");
        client.putConfig(COMPONENT_ID + "-cfg", Map.of("bucket-nanos", Long.toString(bucketNanos)));
        client.putConfig(MESSAGING_ID + "-feed", Map.of("subscribe", data + ".raw.>", "publish-prefix", data + ".lttb"));
        client.startProvider(hostId, Interfaces.MESSAGING, MESSAGING_ID, null);
        client.startComponent(hostId, component.toAbsolutePath().toString(), COMPONENT_ID,
                Map.of("spindle.checkpoint.interval-ms", "1000"), List.of(COMPONENT_ID + "-cfg"));
        client.putLink(new Link(MESSAGING_ID, COMPONENT_ID, null, "spindle", "telemetry", List.of("processor"),
                List.of(MESSAGING_ID + "-feed"), null));
        steps.add("component '" + COMPONENT_ID + "' (" + component.getFileName() + ", bucket " + bucketNanos / 1_000_000L
                + " ms) fed by '" + MESSAGING_ID + "' from " + data + ".raw.>, output on " + data + ".lttb.<series>");
        for (Map.Entry<String, SourceSpec> e : sources.entrySet()) {
            String cfgName = e.getKey() + "-cfg";
            boolean any = !e.getValue().settings().isEmpty();
            if (any) client.putConfig(cfgName, e.getValue().settings());
            client.startProvider(hostId, e.getValue().ref(), e.getKey(), any ? List.of(cfgName) : null);
            steps.add("source '" + e.getKey() + "' (" + e.getValue().ref() + ") publishes on " + data + ".raw.<series>");
        }
        return steps;
    }
}
