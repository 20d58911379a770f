package io.spindle.store;

/**
 * How a store bounds its raw ring and talks to its database. Zero for a raw bound means "no bound".
 *
 * @param rawMaxBytesPerSeries   raw ring bound per series: the sum of its chunks' encoded sizes (0: none)
 * @param rawMaxAgeNanos         raw ring bound per series: chunks whose newest sample is older than the series'
 *                               newest sample minus this are removed (0: none)
 * @param rawChunkMaxSamples     most samples in one raw chunk (a commit's samples of a series are cut into chunks)
 * @param rawChunkMaxSpanNanos   longest time from a chunk's first to its last sample: bounds how far back a read or
 *                               a replay check looks for overlapping chunks, and how coarse age retention is (0: none)
 * @param partitionSpanNanos     PostgreSQL: time span of one partition (fixed when the schema is created)
 * @param pgSchema               PostgreSQL: the schema holding the tables (null: {@value #DEFAULT_PG_SCHEMA})
 * @param readConnections        most connections used by concurrent reads
 * @param retentionIntervalNanos commits apply retention at most once per this interval (0: every commit)
 * @param busyTimeoutMillis      SQLite: how long a write waits for a lock held by another process
 */
public record StoreConfig(long rawMaxBytesPerSeries, long rawMaxAgeNanos, int rawChunkMaxSamples, long rawChunkMaxSpanNanos,
                          long partitionSpanNanos, String pgSchema, int readConnections,
                          long retentionIntervalNanos, int busyTimeoutMillis) {
    public static final long DEFAULT_RAW_MAX_BYTES = 64L << 20;
    public static final long DEFAULT_RAW_MAX_AGE_NANOS = 24L * 3600 * 1_000_000_000L;
    public static final int DEFAULT_CHUNK_SAMPLES = 8192;
    public static final long DEFAULT_CHUNK_SPAN_NANOS = 600 * 1_000_000_000L;
    public static final long DEFAULT_PARTITION_SPAN_NANOS = 24L * 3600 * 1_000_000_000L;
    public static final String DEFAULT_PG_SCHEMA = "spindle";
    /** Largest raw chunk: keeps one chunk's blob well under a few MB whatever the samples compress to. */
    public static final int MAX_CHUNK_SAMPLES = 1 << 18;

    public StoreConfig {
        if (rawMaxBytesPerSeries < 0) throw new IllegalArgumentException("rawMaxBytesPerSeries " + rawMaxBytesPerSeries + " is negative");
        if (rawMaxAgeNanos < 0) throw new IllegalArgumentException("rawMaxAgeNanos " + rawMaxAgeNanos + " is negative");
        if (rawChunkMaxSamples < 1 || rawChunkMaxSamples > MAX_CHUNK_SAMPLES)
            throw new IllegalArgumentException("rawChunkMaxSamples " + rawChunkMaxSamples + " is outside 1.." + MAX_CHUNK_SAMPLES);
        if (rawChunkMaxSpanNanos < 0) throw new IllegalArgumentException("rawChunkMaxSpanNanos " + rawChunkMaxSpanNanos + " is negative");
        if (partitionSpanNanos < 1_000_000_000L)
            throw new IllegalArgumentException("partitionSpanNanos " + partitionSpanNanos + " is shorter than one second");
        if (pgSchema != null && !pgSchema.matches("[a-z_][a-z0-9_]{0,62}"))
            throw new IllegalArgumentException("pgSchema '" + pgSchema + "' is not a lower-case SQL identifier ([a-z_][a-z0-9_]{0,62})");
        if (readConnections < 1 || readConnections > 64)
            throw new IllegalArgumentException("readConnections " + readConnections + " is outside 1..64");
        if (retentionIntervalNanos < 0) throw new IllegalArgumentException("retentionIntervalNanos " + retentionIntervalNanos + " is negative");
        if (busyTimeoutMillis < 0) throw new IllegalArgumentException("busyTimeoutMillis " + busyTimeoutMillis + " is negative");
    }

    /**
     * 64 MiB and 24 h of raw per series, chunks of at most 8,192 samples and 10 minutes, daily partitions, schema
     * "spindle", 4 read connections, retention at most once a second, 5 s SQLite busy timeout.
     */
    public static StoreConfig defaults() {
        return new StoreConfig(DEFAULT_RAW_MAX_BYTES, DEFAULT_RAW_MAX_AGE_NANOS, DEFAULT_CHUNK_SAMPLES, DEFAULT_CHUNK_SPAN_NANOS,
                DEFAULT_PARTITION_SPAN_NANOS, null, 4, 1_000_000_000L, 5_000);
    }

    /** This config with another raw byte bound per series (0: none). */
    public StoreConfig withRawMaxBytesPerSeries(long bytes) {
        return new StoreConfig(bytes, rawMaxAgeNanos, rawChunkMaxSamples, rawChunkMaxSpanNanos, partitionSpanNanos, pgSchema, readConnections, retentionIntervalNanos, busyTimeoutMillis);
    }

    /** This config with another raw age bound (0: none). */
    public StoreConfig withRawMaxAgeNanos(long nanos) {
        return new StoreConfig(rawMaxBytesPerSeries, nanos, rawChunkMaxSamples, rawChunkMaxSpanNanos, partitionSpanNanos, pgSchema, readConnections, retentionIntervalNanos, busyTimeoutMillis);
    }

    /** This config with another chunk size. */
    public StoreConfig withRawChunkMaxSamples(int samples) {
        return new StoreConfig(rawMaxBytesPerSeries, rawMaxAgeNanos, samples, rawChunkMaxSpanNanos, partitionSpanNanos, pgSchema, readConnections, retentionIntervalNanos, busyTimeoutMillis);
    }

    /** This config with another longest chunk span. */
    public StoreConfig withRawChunkMaxSpanNanos(long nanos) {
        return new StoreConfig(rawMaxBytesPerSeries, rawMaxAgeNanos, rawChunkMaxSamples, nanos, partitionSpanNanos, pgSchema, readConnections, retentionIntervalNanos, busyTimeoutMillis);
    }

    /** This config with another PostgreSQL partition span. */
    public StoreConfig withPartitionSpanNanos(long nanos) {
        return new StoreConfig(rawMaxBytesPerSeries, rawMaxAgeNanos, rawChunkMaxSamples, rawChunkMaxSpanNanos, nanos, pgSchema, readConnections, retentionIntervalNanos, busyTimeoutMillis);
    }

    /** This config with another PostgreSQL schema. */
    public StoreConfig withPgSchema(String schema) {
        return new StoreConfig(rawMaxBytesPerSeries, rawMaxAgeNanos, rawChunkMaxSamples, rawChunkMaxSpanNanos, partitionSpanNanos, schema, readConnections, retentionIntervalNanos, busyTimeoutMillis);
    }

    /** This config with another number of read connections. */
    public StoreConfig withReadConnections(int n) {
        return new StoreConfig(rawMaxBytesPerSeries, rawMaxAgeNanos, rawChunkMaxSamples, rawChunkMaxSpanNanos, partitionSpanNanos, pgSchema, n, retentionIntervalNanos, busyTimeoutMillis);
    }

    /** This config with another minimum interval between retention passes run by commits. */
    public StoreConfig withRetentionIntervalNanos(long nanos) {
        return new StoreConfig(rawMaxBytesPerSeries, rawMaxAgeNanos, rawChunkMaxSamples, rawChunkMaxSpanNanos, partitionSpanNanos, pgSchema, readConnections, nanos, busyTimeoutMillis);
    }

    /** This config with another SQLite busy timeout. */
    public StoreConfig withBusyTimeoutMillis(int millis) {
        return new StoreConfig(rawMaxBytesPerSeries, rawMaxAgeNanos, rawChunkMaxSamples, rawChunkMaxSpanNanos, partitionSpanNanos, pgSchema, readConnections, retentionIntervalNanos, millis);
    }
}
