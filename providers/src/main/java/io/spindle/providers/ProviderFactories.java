package io.spindle.providers;

import io.spindle.providers.source.SourceProvider;
import io.spindle.providers.store.StoreProvider;
import io.spindle.sources.mqtt.MqttSource;
import io.spindle.sources.opcua.OpcUaSource;
import io.spindle.sources.shdr.ShdrSource;
import io.spindle.sources.sim.MachineSimulator;
import io.spindle.store.StoreConfig;
import io.spindle.store.Stores;

/** Makes the built-in providers by ref ({@link Interfaces#PROVIDERS}). */
public final class ProviderFactories {
    private ProviderFactories() {
    }

    /** A started provider of kind ref; IllegalArgumentException naming every config problem, or an unknown ref. */
    public static Provider create(String ref, ProviderContext ctx) {
        return switch (ref) {
            case Interfaces.MESSAGING -> new MessagingProvider(ctx.id(), ctx.transport(), ctx.subjects(), ctx.config());
            case Interfaces.KEYVALUE -> new KeyValueProvider(ctx.id(), ctx.transport(), ctx.subjects(), ctx.config());
            case Interfaces.STORE_PROVIDER -> new StoreProvider(ctx, (uri, rawMaxBytes, rawMaxAgeNanos) ->
                    Stores.open(uri, StoreConfig.defaults().withRawMaxBytesPerSeries(rawMaxBytes).withRawMaxAgeNanos(rawMaxAgeNanos)));
            case Interfaces.SHDR -> new SourceProvider(ctx, ref, ShdrSource::fromConfig);
            case Interfaces.MQTT -> new SourceProvider(ctx, ref, MqttSource::fromConfig);
            case Interfaces.OPCUA -> new SourceProvider(ctx, ref, OpcUaSource::fromConfig);
            case Interfaces.SIMULATOR -> new SourceProvider(ctx, ref, MachineSimulator::fromConfig);
            default -> throw new IllegalArgumentException("'" + ref + "' is not a built-in provider (known: "
                    + String.join(", ", Interfaces.PROVIDERS.stream().map(Interfaces.ProviderKind::ref).toList()) + ")");
        };
    }
}
