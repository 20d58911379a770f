package io.spindle.wasm;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Interrupts guest calls that outlive their deadline. One daemon thread polls the running calls every few
 * milliseconds, so arming a call costs two field writes, not a scheduled task; Chicory's compiled code and
 * interpreter check the thread's interrupt flag at loop back-edges and calls and stop the guest.
 */
final class Watchdog {
    static final long TICK_NANOS = 2_000_000;
    private static final Watchdog INSTANCE = new Watchdog();
    private final Set<Slot> slots = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;

    static Watchdog get() {
        return INSTANCE;
    }

    /** One instance's call state: at most one call runs at a time per slot. */
    static final class Slot {
        private Thread runner;
        private long deadline;
        private boolean active, fired;

        /** Marks a call running on the current thread until deadline (System.nanoTime based). */
        synchronized void arm(long deadlineNanos) {
            runner = Thread.currentThread();
            deadline = deadlineNanos;
            fired = false;
            active = true;
        }

        /** Ends the call; true when the watchdog interrupted it (the interrupt flag is then cleared). */
        boolean disarm() {
            boolean f;
            synchronized (this) {
                active = false;
                runner = null;
                f = fired;
            }
            if (f) Thread.interrupted();
            return f;
        }

        synchronized void check(long now) {
            if (active && !fired && now - deadline >= 0) {
                fired = true;
                runner.interrupt();
            }
        }
    }

    Slot register() {
        Slot s = new Slot();
        slots.add(s);
        ensureRunning();
        LockSupport.unpark(thread);
        return s;
    }

    void unregister(Slot s) {
        slots.remove(s);
    }

    private synchronized void ensureRunning() {
        if (thread != null) return;
        Thread t = new Thread(this::run, "spindle-wasm-watchdog");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run() {
        while (true) {
            if (slots.isEmpty()) LockSupport.park(this); // register() unparks
            LockSupport.parkNanos(TICK_NANOS);
            long now = System.nanoTime();
            for (Slot s : slots) s.check(now);
        }
    }
}
