package io.spindle.store;

import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Connections for reads, opened on demand up to a bound; a reader never waits for the writer's connection. */
final class ReaderPool implements AutoCloseable {
    /** Opens one read connection. */
    interface Opener {
        DbConn open() throws SQLException;
    }

    private static final long BORROW_TIMEOUT_SECONDS = 30;

    private final Opener opener;
    private final String location;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<DbConn> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    ReaderPool(Opener opener, int size, String location) {
        this.opener = opener;
        this.permits = new Semaphore(size, true);
        this.location = location;
    }

    /** A connection for one read; give it back with {@link #release}. */
    DbConn borrow() {
        if (closed) throw new StoreException(location + ": store is closed");
        try {
            if (!permits.tryAcquire(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                throw new StoreException(location + ": no read connection became free within " + BORROW_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(location + ": interrupted while waiting for a read connection", e);
        }
        DbConn c = idle.poll();
        if (c != null) return c;
        try {
            return opener.open();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw new StoreException(location + ": cannot open a read connection: " + e.getMessage(), e);
        }
    }

    /**
     * Returns a borrowed connection; a broken one (or any after close) is closed instead of kept, and so are the idle
     * ones, which the same cause (a server restart) has most likely broken too.
     */
    void release(DbConn c, boolean broken) {
        if (broken || closed) c.close();
        else idle.add(c);
        permits.release();
        if (broken || closed) drain();
    }

    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        DbConn c;
        while ((c = idle.poll()) != null) c.close();
    }
}
