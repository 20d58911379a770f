package io.spindle.sources.shdr;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An MTConnect adapter that serves an SHDR log file over TCP, so the real network path can be demonstrated and
 * tested. Every client gets its own replay from the file's first line (what a live adapter sends as the current
 * values on connect is what a log begins with) and its PINGs answered with {@code * PONG <ms>}.
 * <ul>
 *   <li>Timing: data lines go out at their original spacing divided by the speed factor, or as fast as the client
 *       reads at {@link #MAX_SPEED}. The spacing follows the newest timestamp so far: a line stamped a little earlier
 *       than the one before goes out at once; one stamped more than 10 s earlier starts a new session (concatenated
 *       logs) and the clock carries on from it; a pause longer than maxGap is shortened to maxGap. Lines without a
 *       timestamp of their own (protocol lines, malformed lines) go out with the line before.</li>
 *   <li>Multi-line {@code @ASSET@} blocks go out whole, in one write.</li>
 *   <li>Looping: pass k (counting from 0) adds k × (latest − earliest data timestamp in the file + 1 s) to every
 *       timestamp, so each pass is stamped entirely after the one before; the first pass is sent as the file has it.
 *       Between passes the replay pauses 1 s of file time.</li>
 *   <li>{@code now}: timestamps are rewritten so the replay starts at the moment the client connected and runs on
 *       the replay clock above: original spacing (with long pauses shortened to maxGap), out-of-order steps kept,
 *       sessions and passes following each other without a jump. At a speed other than 1x these timestamps run at
 *       that speed ahead of the wall clock.</li>
 *   <li>Backpressure: each client's replay writes through a fixed 64 KiB buffer straight to its socket; a slow
 *       client only slows its own replay, and nothing is queued for it.</li>
 *   <li>A client is kept after the end of the file (without looping) until it leaves: adapters do not hang up, and
 *       a source that reconnected would only be sent the file again.</li>
 * </ul>
 */
public final class ShdrAdapter implements AutoCloseable {
    /** The speed factor meaning "as fast as the client reads". */
    public static final double MAX_SPEED = ReplaySession.MAX_SPEED;
    /** The MTConnect adapter port. */
    public static final int DEFAULT_PORT = 7878;

    private final ServerSocket server;
    private final ReplaySession.Settings settings;
    private final int maxClients;
    private final long fileLines;
    private final Thread acceptor;
    private final Set<ReplaySession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicLong linesSent = new AtomicLong(), connections = new AtomicLong(), pongs = new AtomicLong(),
            refused = new AtomicLong();
    private final AtomicInteger clientIds = new AtomicInteger();
    private volatile boolean closed;
    private volatile String lastError;

    private ShdrAdapter(Builder b, long fileLines, long loopShiftNanos) throws IOException {
        this.settings = new ReplaySession.Settings(b.file, b.speed, b.loop, b.now,
                b.maxGap == null ? Long.MAX_VALUE : b.maxGap.toNanos(), b.pongMillis, loopShiftNanos);
        this.maxClients = b.maxClients;
        this.fileLines = fileLines;
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true); // a restarted adapter can take its port back at once
            s.bind(new InetSocketAddress(b.bind, b.port), 16);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot listen on " + b.bind.getHostAddress() + ":" + b.port + ": " + e.getMessage(), e);
        }
        this.server = s;
        this.acceptor = new Thread(this::accept, "shdr-adapter :" + s.getLocalPort() + " accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A builder for an adapter serving file. */
    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /**
     * Reads a speed: {@code 1x}, {@code 10x}, {@code 0.5x} (a positive factor up to 1,000,000 followed by 'x') or
     * {@code max}; returns the factor, {@link #MAX_SPEED} for max.
     *
     * @throws IllegalArgumentException saying what is wrong with text
     */
    public static double parseSpeed(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("max")) return MAX_SPEED;
        String problem = "'" + text + "' is not a speed (e.g. 1x, 10x, 0.5x or max)";
        if (!s.endsWith("x") || s.length() < 2) throw new IllegalArgumentException(problem);
        String number = s.substring(0, s.length() - 1);
        if (!number.matches("[0-9]*\\.?[0-9]+|[0-9]+\\.")) throw new IllegalArgumentException(problem);
        double f = Double.parseDouble(number);
        if (!(f > 0) || f > 1_000_000)
            throw new IllegalArgumentException("'" + text + "' is not a speed: the factor must be above 0 and at most 1000000");
        return f;
    }

    /** The port it listens on (the one the system chose, for port 0). */
    public int port() {
        return server.getLocalPort();
    }

    /** The address it listens on. */
    public InetAddress address() {
        return server.getInetAddress();
    }

    /** Lines sent so far to all clients (each line of an asset block counts). */
    public long linesSent() {
        return linesSent.get();
    }

    /** Clients connected now. */
    public int clients() {
        return sessions.size();
    }

    /** Clients accepted so far. */
    public long connections() {
        return connections.get();
    }

    /** Connections refused because maxClients were connected. */
    public long refused() {
        return refused.get();
    }

    /** PINGs answered so far. */
    public long pongs() {
        return pongs.get();
    }

    /** Lines in the file (one pass). */
    public long fileLines() {
        return fileLines;
    }

    /** The last client I/O failure, or null. */
    public String lastError() {
        return lastError;
    }

    /** Stops listening and disconnects every client; idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (ReplaySession s : sessions) s.close(2_000);
        sessions.clear();
        try {
            if (Thread.currentThread() != acceptor) acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) return;
                failed("accept: " + e.getMessage());
                try {
                    Thread.sleep(100); // e.g. out of file descriptors: do not spin
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (sessions.size() >= maxClients) {
                refused.incrementAndGet();
                closeQuietly(client);
                continue;
            }
            try {
                ReplaySession s = new ReplaySession(settings, client, this,
                        "shdr-adapter :" + port() + " client " + clientIds.incrementAndGet());
                sessions.add(s);
                connections.incrementAndGet();
                if (closed) { // close() may have run between accept and add: it did not see this one
                    sessions.remove(s);
                    closeQuietly(client);
                    return;
                }
                s.start();
            } catch (IOException e) {
                failed("client " + client.getRemoteSocketAddress() + ": " + e.getMessage());
                closeQuietly(client);
            }
        }
    }

    void sent(int lines) {
        linesSent.addAndGet(lines);
    }

    void ponged() {
        pongs.incrementAndGet();
    }

    void ended(ReplaySession s) {
        sessions.remove(s);
    }

    void failed(String message) {
        lastError = message;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Settings of an adapter; {@link #start()} binds and starts serving. */
    public static final class Builder {
        private final Path file;
        private InetAddress bind = InetAddress.getLoopbackAddress();
        private int port = DEFAULT_PORT;
        private double speed = 1;
        private boolean loop, now;
        private Duration maxGap;
        private long pongMillis = 10_000;
        private int maxClients = 32;

        private Builder(Path file) {
            this.file = file;
        }

        /** Address to listen on (default the loopback address). */
        public Builder bind(InetAddress address) {
            this.bind = address;
            return this;
        }

        /** Port to listen on, 0 for a free one (default 7878). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) throw new IllegalArgumentException("port " + port + " is not in 0..65535");
            this.port = port;
            return this;
        }

        /** Speed factor over the file's timing (default 1), or {@link #MAX_SPEED}. */
        public Builder speed(double factor) {
            if (!(factor > 0)) throw new IllegalArgumentException("speed must be > 0, not " + factor);
            this.speed = factor;
            return this;
        }

        /** Starts over at the end of the file, timestamps shifted (default off). */
        public Builder loop(boolean loop) {
            this.loop = loop;
            return this;
        }

        /** Rewrites timestamps to run from the moment a client connects (default off). */
        public Builder now(boolean now) {
            this.now = now;
            return this;
        }

        /** Longest pause kept between lines, in file time; null keeps every pause (the default). */
        public Builder maxGap(Duration maxGap) {
            if (maxGap != null && maxGap.isNegative()) throw new IllegalArgumentException("maxGap must not be negative");
            this.maxGap = maxGap;
            return this;
        }

        /** The interval the adapter announces in its PONGs (default 10000 ms). */
        public Builder pongMillis(long millis) {
            if (millis < 10 || millis > 3_600_000) throw new IllegalArgumentException("pongMillis " + millis + " is not in 10..3600000");
            this.pongMillis = millis;
            return this;
        }

        /** Most clients served at once; more are disconnected at once (default 32). */
        public Builder maxClients(int n) {
            if (n < 1) throw new IllegalArgumentException("maxClients must be >= 1");
            this.maxClients = n;
            return this;
        }

        /**
         * Reads the file once (to check it and to find its time span for looping), binds and starts accepting.
         *
         * @throws IOException when the file cannot be read or the port cannot be bound, naming which
         */
        public ShdrAdapter start() throws IOException {
            if (!Files.isRegularFile(file)) throw new IOException(file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
            long lines = 0, min = Long.MAX_VALUE, max = Long.MIN_VALUE;
            try (ReplayUnits units = new ReplayUnits(file)) {
                for (ReplayUnits.Unit u; (u = units.next()) != null; ) {
                    lines += u.lines().size();
                    if (u.kind() != ReplayUnits.Kind.DATA) continue;
                    min = Math.min(min, u.tNanos());
                    max = Math.max(max, u.tNanos());
                }
            } catch (IOException e) {
                throw new IOException(file + ": cannot read: " + e.getMessage(), e);
            }
            long span = min <= max ? max - min : 0;
            return new ShdrAdapter(this, lines, span + ReplaySession.LOOP_PAUSE_NANOS);
        }
    }
}
