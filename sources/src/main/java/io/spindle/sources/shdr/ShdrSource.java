package io.spindle.sources.shdr;

import io.spindle.sources.Source;
import io.spindle.sources.SourceCounters;
import io.spindle.sources.SourceSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * An MTConnect SHDR client: connects to an adapter over TCP and delivers its data items to a sink, as the MTConnect
 * agent reads them. On connect it sends {@code * PING}; an adapter that answers {@code * PONG <ms>} sets the heartbeat
 * interval, and the source pings at that interval. A connection that brings neither data nor a PONG for twice the
 * interval (the configured heartbeat until a PONG arrives) is dead: it is closed and the source reconnects, waiting
 * with exponential backoff and jitter between attempts. Values are parsed by {@link ShdrReader} (numbers become
 * samples, the rest change-only events; see there); the reader outlives connections, so the current values an
 * adapter re-sends on reconnect are not delivered again unless they changed. Everything runs on one thread, named
 * {@code shdr-source <name>}.
 */
public final class ShdrSource implements Source {
    private static final byte[] PING = "* PING\n".getBytes(StandardCharsets.US_ASCII);

    private final ShdrSourceConfig config;
    private final String name;
    private final SourceCounters counters = new SourceCounters();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Socket socket;
    private volatile Thread thread;
    private volatile long heartbeatMillis;
    private volatile long pongs;
    private boolean broughtData; // the current connection delivered something (reader thread only)

    /** A source reading the adapter that config names; nothing happens until {@link #start}. */
    public ShdrSource(ShdrSourceConfig config) {
        this.config = config;
        this.name = "shdr:" + config.device() + "@" + config.host() + ":" + config.port();
        this.heartbeatMillis = config.heartbeat().toMillis();
    }

    /**
     * A source from link config (keys in {@link ShdrSourceConfig#fromConfig}: {@code host}, {@code device}, {@code port},
     * ...); IllegalArgumentException naming the key and the reason.
     */
    public static ShdrSource fromConfig(Map<String, String> config) {
        return new ShdrSource(ShdrSourceConfig.fromConfig(config));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourceCounters counters() {
        return counters;
    }

    /** The heartbeat interval in force: the adapter's last PONG on this connection, else the configured one. */
    public Duration heartbeat() {
        return Duration.ofMillis(heartbeatMillis);
    }

    /** PONGs received so far, over all connections. */
    public long pongs() {
        return pongs;
    }

    @Override
    public void start(SourceSink sink) {
        if (sink == null) throw new IllegalArgumentException("sink must not be null");
        if (!started.compareAndSet(false, true)) throw new IllegalStateException(name + ": already started");
        Thread t = new Thread(() -> run(sink), "shdr-source " + name);
        t.setDaemon(true);
        thread = t;
        if (!closed) t.start();
    }

    @Override
    public void close() {
        closed = true;
        Socket s = socket;
        if (s != null) closeQuietly(s);
        Thread t = thread;
        if (t == null || t == Thread.currentThread() || !t.isAlive()) return;
        t.interrupt();
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true; // "nothing is delivered after close returns" needs the join to finish
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void run(SourceSink sink) {
        SinkListener listener = new SinkListener(name, sink, counters, ms -> {
            heartbeatMillis = ms;
            pongs++;
        });
        ShdrReader reader = new ShdrReader(config.device(), listener);
        LineAssembler lines = new LineAssembler(64 << 10, config.maxLineBytes());
        Backoff backoff = new Backoff(config.backoffMin().toNanos(), config.backoffMax().toNanos(), new Random());
        boolean everConnected = false;
        while (!closed) {
            Socket s = new Socket();
            socket = s;
            if (closed) { // close() may have missed this socket
                closeQuietly(s);
                break;
            }
            broughtData = false;
            try {
                s.connect(new InetSocketAddress(config.host(), config.port()), (int) Math.max(1, config.connectTimeout().toMillis()));
                if (everConnected) counters.reconnects.incrementAndGet();
                everConnected = true;
                counters.connected(true);
                heartbeatMillis = config.heartbeat().toMillis();
                session(s, reader, lines, listener);
            } catch (UnknownHostException e) {
                failed("connect to " + config.host() + ":" + config.port() + ": unknown host");
            } catch (SocketTimeoutException e) {
                failed(counters.connected() ? "read from " + endpoint() + ": " + e.getMessage()
                        : "connect to " + endpoint() + ": no answer within " + config.connectTimeout().toMillis() + "ms");
            } catch (IOException e) {
                if (!closed) failed((counters.connected() ? "connection to " : "connect to ") + endpoint() + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            } catch (RuntimeException e) { // a sink that throws must not end the source
                if (!closed) failed("delivery failed: " + e);
            } finally {
                closeQuietly(s);
                counters.connected(false);
                endOfConnection(reader, lines, listener);
            }
            if (closed) break;
            if (broughtData) backoff.reset(); // set even when the connection ended in an exception
            pause(backoff.next());
        }
        counters.connected(false);
    }

    /** Reads one connection until it ends or goes silent. */
    private void session(Socket s, ShdrReader reader, LineAssembler lines, SinkListener listener) throws IOException {
        s.setTcpNoDelay(true);
        s.setKeepAlive(true);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        LineAssembler.Lines target = new LineAssembler.Lines() {
            @Override
            public void line(String text) {
                try {
                    reader.line(text);
                } catch (RuntimeException e) { // the sink's fault, not the adapter's: keep the connection
                    failed("delivering '" + (text.length() > 200 ? text.substring(0, 200) + "..." : text) + "' failed: " + e);
                }
            }

            @Override
            public void tooLong(String head, long bytes) {
                try {
                    listener.rejected(head + "...", "line of " + bytes + " bytes is longer than "
                            + config.maxLineBytes() + " (" + ShdrSourceConfig.MAX_LINE_BYTES + ")");
                } catch (RuntimeException e) {
                    failed("reporting an overlong line failed: " + e);
                }
            }
        };
        out.write(PING);
        out.flush();
        long now = System.nanoTime(), lastHeard = now, lastPing = now;
        while (!closed) {
            long interval = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
            long deadAt = lastHeard + 2 * interval, pingAt = lastPing + interval;
            long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(deadAt, pingAt) - now) + 1);
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, waitMillis));
            int n;
            try {
                n = lines.read(in);
            } catch (SocketTimeoutException e) {
                n = 0;
            }
            now = System.nanoTime();
            if (n < 0) {
                if (!closed) failed("connection to " + endpoint() + " closed by the adapter");
                return;
            }
            if (n > 0) {
                counters.bytes.addAndGet(n);
                lastHeard = now;
                broughtData = true;
                lines.drain(target);
            } else if (now - lastHeard >= 2 * TimeUnit.MILLISECONDS.toNanos(heartbeatMillis)) {
                failed("connection to " + endpoint() + " is dead: no data and no PONG for "
                        + TimeUnit.NANOSECONDS.toMillis(now - lastHeard) + "ms (heartbeat " + heartbeatMillis + "ms)");
                return;
            }
            if (now - lastPing >= TimeUnit.MILLISECONDS.toNanos(heartbeatMillis)) {
                out.write(PING);
                out.flush();
                lastPing = now;
            }
        }
    }

    private void endOfConnection(ShdrReader reader, LineAssembler lines, SinkListener listener) {
        try {
            String partial = lines.discardPartial();
            if (partial != null && !closed) listener.rejected(partial, "line cut off: the connection ended before its end");
            if (!closed) reader.end(); // an asset block left open by the lost connection is reported, not continued
        } catch (RuntimeException e) {
            failed("delivery failed: " + e);
        }
    }

    /** Waits before the next attempt; close() cuts it short (it sets closed, then interrupts). */
    private void pause(long nanos) {
        long until = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !closed; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
            Thread.interrupted(); // an interrupt other than close()'s must not turn this wait into a spin
        }
    }

    private String endpoint() {
        return config.host() + ":" + config.port();
    }

    private void failed(String message) {
        counters.lastError(message);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
    }
}
