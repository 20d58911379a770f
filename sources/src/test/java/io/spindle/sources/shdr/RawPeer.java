package io.spindle.sources.shdr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven SHDR peer on loopback for the source's tests: accepts connections, records what the source sends and
 * when each connection was accepted and ended, writes what the test tells it to. It answers nothing by itself.
 */
final class RawPeer implements AutoCloseable {
    /** One accepted connection. */
    static final class Conn {
        final Socket socket;
        final long acceptedNanos = System.nanoTime();
        volatile long endedNanos;
        final List<String> received = new CopyOnWriteArrayList<>();

        Conn(Socket socket) {
            this.socket = socket;
        }

        void send(String text) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        boolean ended() {
            return endedNanos != 0;
        }
    }

    private final ServerSocket server;
    final LinkedBlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
    final List<Conn> all = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    RawPeer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::accept, "raw-peer accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next connection the source makes. */
    Conn next(long timeoutMillis) throws InterruptedException {
        Conn c = accepted.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (c == null) throw new AssertionError("no connection within " + timeoutMillis + "ms");
        return c;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Conn c = new Conn(s);
                all.add(c);
                accepted.add(c);
                Thread reader = new Thread(() -> read(c), "raw-peer read");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void read(Conn c) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.socket.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) c.received.add(line);
        } catch (IOException e) {
            // closed by either side
        }
        c.endedNanos = System.nanoTime();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Conn c : all) c.socket.close();
    }
}
