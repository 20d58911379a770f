package io.spindle.sources.mqtt;

import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;

/**
 * The NCMD that asks an edge node to publish its births again: one Boolean metric {@code Node Control/Rebirth} = true
 * with the payload timestamp (Sparkplug 3.0, operational behavior: rebirth request). NCMDs carry no seq.
 */
final class RebirthRequest {
    static final String METRIC = "Node Control/Rebirth";

    private RebirthRequest() {
    }

    static byte[] payload(long nowMillis) {
        return Payload.newBuilder()
            .setTimestamp(nowMillis)
            .addMetrics(Payload.Metric.newBuilder()
                .setName(METRIC)
                .setTimestamp(nowMillis)
                .setDatatype(SparkplugTypes.BOOLEAN)
                .setBooleanValue(true))
            .build()
            .toByteArray();
    }

    /** Publishes rebirth requests; called on the source's worker thread, must not block. */
    interface Publisher {
        void requestRebirth(String group, String edgeNode);
    }
}
