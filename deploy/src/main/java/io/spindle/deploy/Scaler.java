package io.spindle.deploy;

import java.util.List;

/**
 * Where and how many: a {@code spreadscaler} (instances in total, shared among the spreads by weight) or a
 * {@code daemonscaler} (instances on every host matching one of the spreads, or every host without spreads).
 *
 * @param kind      which scaler
 * @param instances total (spreadscaler) or per matching host (daemonscaler); 0 runs none
 * @param spreads   the placement targets; empty means any host
 * @param path      the trait's path in the document
 */
public record Scaler(Kind kind, int instances, List<Spread> spreads, String path) {
    /** The two scaler traits. */
    public enum Kind {
        SPREAD("spreadscaler"), DAEMON("daemonscaler");

        private final String trait;

        Kind(String trait) {
            this.trait = trait;
        }

        /** The trait's {@code type} in a manifest. */
        public String trait() {
            return trait;
        }
    }

    public Scaler {
        spreads = List.copyOf(spreads);
    }
}
