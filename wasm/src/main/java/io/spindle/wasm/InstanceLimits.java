package io.spindle.wasm;

import java.time.Duration;

/**
 * What one component instance may use. A guest that breaks a limit is stopped with a {@link ComponentException}
 * naming the limit; the host and other instances carry on.
 *
 * @param maxMemoryPages most 64 KiB pages of linear memory (memory.grow beyond it fails inside the guest)
 * @param callDeadline   longest wall time of one call into the guest, instantiation included (watchdog interrupt)
 * @param maxOutputBytes most bytes one call may return (lists and strings together)
 * @param maxModuleBytes largest module accepted at load
 */
public record InstanceLimits(int maxMemoryPages, Duration callDeadline, long maxOutputBytes, long maxModuleBytes) {
    /** 64 MiB of memory, 2 s per call, 16 MiB of output per call, 16 MiB modules. */
    public static final InstanceLimits DEFAULTS = new InstanceLimits(1024, Duration.ofSeconds(2), 16L << 20, 16L << 20);

    public InstanceLimits {
        if (maxMemoryPages < 1 || maxMemoryPages > 65536)
            throw new IllegalArgumentException("maxMemoryPages must be in [1, 65536], got " + maxMemoryPages);
        if (callDeadline == null || callDeadline.isNegative() || callDeadline.isZero())
            throw new IllegalArgumentException("callDeadline must be positive, got " + callDeadline);
        if (maxOutputBytes < 0) throw new IllegalArgumentException("maxOutputBytes must be >= 0, got " + maxOutputBytes);
        if (maxModuleBytes < 8) throw new IllegalArgumentException("maxModuleBytes must be >= 8, got " + maxModuleBytes);
    }

    /** A copy with another memory cap. */
    public InstanceLimits withMaxMemoryPages(int pages) {
        return new InstanceLimits(pages, callDeadline, maxOutputBytes, maxModuleBytes);
    }

    /** A copy with another call deadline. */
    public InstanceLimits withCallDeadline(Duration deadline) {
        return new InstanceLimits(maxMemoryPages, deadline, maxOutputBytes, maxModuleBytes);
    }

    /** A copy with another output cap. */
    public InstanceLimits withMaxOutputBytes(long bytes) {
        return new InstanceLimits(maxMemoryPages, callDeadline, bytes, maxModuleBytes);
    }

    /** A copy with another module size cap. */
    public InstanceLimits withMaxModuleBytes(long bytes) {
        return new InstanceLimits(maxMemoryPages, callDeadline, maxOutputBytes, bytes);
    }
}
