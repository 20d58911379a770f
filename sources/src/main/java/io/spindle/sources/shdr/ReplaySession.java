package io.spindle.sources.shdr;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One client of an {@link ShdrAdapter}: a thread that replays the file to it from the first line, and a thread that
 * answers its PINGs. The replay thread writes straight to the socket through a fixed buffer, so a client that reads
 * slowly slows its own replay down and nothing queues up on the server.
 */
final class ReplaySession {
    /** Speed meaning "as fast as the client reads". */
    static final double MAX_SPEED = Double.POSITIVE_INFINITY;
    /** File time between the last line of a pass and the first of the next. */
    static final long LOOP_PAUSE_NANOS = 1_000_000_000L;
    private static final long SPIN_NANOS = 1_000_000L;

    /** What every session of one adapter shares. */
    record Settings(Path file, double speed, boolean loop, boolean now, long maxGapNanos, long pongMillis,
                    long loopShiftNanos) {
    }

    private final Settings settings;
    private final Socket socket;
    private final ShdrAdapter adapter;
    private final Writer out;
    private final Thread replay, pings;
    private volatile boolean closed;

    ReplaySession(Settings settings, Socket socket, ShdrAdapter adapter, String name) throws IOException {
        this.settings = settings;
        this.socket = socket;
        this.adapter = adapter;
        socket.setTcpNoDelay(true);
        this.out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), 1 << 16);
        this.replay = new Thread(this::replay, name + " replay");
        this.pings = new Thread(this::answerPings, name + " pings");
        replay.setDaemon(true);
        pings.setDaemon(true);
    }

    void start() {
        pings.start();
        replay.start();
    }

    /** Ends the session: closes the socket and stops both threads (waits up to timeoutMillis for them). */
    void close(long timeoutMillis) {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        replay.interrupt();
        try {
            if (Thread.currentThread() != replay) replay.join(timeoutMillis);
            if (Thread.currentThread() != pings) pings.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void end() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        replay.interrupt();
        adapter.ended(this);
    }

    private void replay() {
        long start = System.nanoTime();
        Instant wall = Instant.now();
        long wallStart = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        ReplayTimeline clock = new ReplayTimeline(settings.maxGapNanos());
        StringBuilder stamp = new StringBuilder(40);
        try {
            for (int pass = 0; !closed; pass++) {
                if (pass > 0) clock.newPass(LOOP_PAUSE_NANOS);
                long sent = 0;
                try (ReplayUnits units = new ReplayUnits(settings.file())) {
                    for (ReplayUnits.Unit u; !closed && (u = units.next()) != null; ) {
                        long due = u.kind() == ReplayUnits.Kind.DATA ? clock.dataLine(u.tNanos()) : clock.offset();
                        if (!waitUntil(start, due)) return;
                        send(u, rewrittenTime(u, pass, clock, wallStart), stamp);
                        sent += u.lines().size();
                    }
                }
                if (!settings.loop() || sent == 0) break;
            }
            synchronized (out) {
                out.flush();
            }
        } catch (IOException e) {
            if (!closed) adapter.failed("client " + socket.getRemoteSocketAddress() + ": " + e.getMessage());
            end();
        } catch (ArithmeticException e) {
            adapter.failed("client " + socket.getRemoteSocketAddress() + ": replay stopped, its timestamps would pass "
                    + "the year 2262 (epoch nanoseconds overflow)");
            try {
                synchronized (out) {
                    out.flush();
                }
            } catch (IOException ignored) {
                end();
            }
        }
    }

    /** The timestamp to write on u, or INVALID to send it as the file has it. */
    private long rewrittenTime(ReplayUnits.Unit u, int pass, ReplayTimeline clock, long wallStart) {
        if (u.kind() == ReplayUnits.Kind.OTHER) return IsoInstant.INVALID;
        // exact arithmetic: a loop left running for years of file time must stop, not wrap to 1677
        if (settings.now()) return Math.addExact(wallStart, u.kind() == ReplayUnits.Kind.DATA ? clock.continuousTime() : clock.offset());
        if (pass == 0) return IsoInstant.INVALID;
        return Math.addExact(u.tNanos(), Math.multiplyExact(pass, settings.loopShiftNanos()));
    }

    private void send(ReplayUnits.Unit u, long t, StringBuilder stamp) throws IOException {
        List<String> lines = u.lines();
        synchronized (out) {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (i == 0 && t != IsoInstant.INVALID) {
                    stamp.setLength(0);
                    out.append(IsoInstant.format(t, stamp)).append(line, u.stampEnd(), line.length());
                } else {
                    out.write(line);
                }
                out.write('\n');
            }
        }
        adapter.sent(lines.size());
    }

    /** Waits until file offset due (scaled by the speed) has passed since start; false when closed meanwhile. */
    private boolean waitUntil(long start, long due) throws IOException {
        if (settings.speed() == MAX_SPEED) return !closed;
        long target = start + (long) (due / settings.speed());
        long left = target - System.nanoTime();
        if (left > SPIN_NANOS) {
            synchronized (out) {
                out.flush(); // everything due so far goes out before the pause
            }
        }
        while (left > SPIN_NANOS && !closed) {
            try {
                Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
            } catch (InterruptedException e) {
                return false;
            }
            left = target - System.nanoTime();
        }
        return !closed;
    }

    private void answerPings() {
        LineAssembler lines = new LineAssembler(4096, 4096);
        LineAssembler.Lines handler = new LineAssembler.Lines() {
            @Override
            public void line(String text) {
                String s = text.strip();
                if (!s.startsWith("*") || !s.substring(1).strip().equals("PING")) return; // agents send nothing else
                try {
                    synchronized (out) {
                        out.write("* PONG " + settings.pongMillis() + "\n");
                        out.flush();
                    }
                    adapter.ponged();
                } catch (IOException e) {
                    end();
                }
            }

            @Override
            public void tooLong(String head, long bytes) {
                // not a PING: ignored like any other line from the client
            }
        };
        try {
            InputStream in = socket.getInputStream();
            while (!closed) {
                if (lines.read(in) < 0) break;
                lines.drain(handler);
            }
        } catch (IOException e) {
            // the client went away or the session was closed
        }
        end();
    }
}
