package io.spindle.cli;

import io.spindle.sources.shdr.ShdrAdapter;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code spindle replay ...}: serves recorded machine data over the protocol it was recorded from. */
@Command(name = "replay", subcommands = {ReplayCommand.Shdr.class}, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Serves recorded machine data over the protocol it was recorded from.")
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing protocol (one of: "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** {@code spindle replay shdr FILE}: an MTConnect adapter serving an SHDR log until stopped. */
    @Command(name = "shdr", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Serves an SHDR log as an MTConnect adapter does: every client gets the log from its first "
                    + "line with its original timing (scaled by --speed), its PINGs answered with PONGs.",
                    "Listens until Ctrl-C/SIGTERM (or --duration); progress on stderr, totals on stdout."})
    public static final class Shdr implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The SHDR log (timestamp|key|value... lines).")
        Path file;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "7878",
                description = "TCP port to listen on, 0 for a free one (default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
                description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
        String bind;

        @Option(names = "--speed", paramLabel = "SPEED", defaultValue = "1x", converter = SpeedOption.class,
                description = "1x, 10x, 0.5x, ... or max (as fast as the client reads) (default ${DEFAULT-VALUE}).")
        double speed;

        @Option(names = "--loop", description = "Start over at the end, each pass stamped after the one before.")
        boolean loop;

        @Option(names = "--now", description = "Rewrite timestamps to run from the moment a client connects "
                + "(original spacing kept), so dashboards show the replay as live data.")
        boolean now;

        @Option(names = "--max-gap", paramLabel = "DURATION", defaultValue = "10s", converter = GapOption.class,
                description = "Longest pause between lines, in the log's time (default ${DEFAULT-VALUE}; 'none' keeps "
                        + "every pause: the Okuma log has one of 34 minutes between two sessions).")
        Duration maxGap;

        @Option(names = "--status-every", paramLabel = "DURATION", defaultValue = "5s", converter = DurationOption.class,
                description = "Interval of the progress line on stderr (default ${DEFAULT-VALUE}).")
        Duration statusEvery;

        @Option(names = "--duration", paramLabel = "DURATION", converter = DurationOption.class,
                description = "Stop after this long (default: run until stopped).")
        Duration duration;

        @Override
        public Integer call() throws InterruptedException {
            if (port < 0 || port > 65_535) throw new ParameterException(spec.commandLine(), "--port: " + port + " is not in 0..65535");
            if (statusEvery.isNegative() || statusEvery.isZero())
                throw new ParameterException(spec.commandLine(), "--status-every: must be positive");
            if (duration != null && (duration.isNegative() || duration.isZero()))
                throw new ParameterException(spec.commandLine(), "--duration: must be positive");
            InetAddress address;
            try {
                address = InetAddress.getByName(bind);
            } catch (UnknownHostException e) {
                throw new ParameterException(spec.commandLine(), "--bind: unknown host '" + bind + "'");
            }
            if (!Files.isRegularFile(file))
                throw new CliFailure(file.toString(), Files.exists(file) ? "not a regular file" : "no such file");
            ShdrAdapter adapter;
            try {
                adapter = ShdrAdapter.builder(file).bind(address).port(port).speed(speed).loop(loop).now(now)
                        .maxGap(maxGap).start();
            } catch (IOException e) {
                throw new CliFailure("replay shdr", e.getMessage(), e);
            }
            PrintWriter err = spec.commandLine().getErr();
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stop.countDown();
                adapter.close();
            }, "spindle-replay-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            err.println("spindle: replay shdr: serving " + file + " (" + adapter.fileLines() + " lines) on "
                    + adapter.address().getHostAddress() + ":" + adapter.port() + " at " + speedText(speed)
                    + (maxGap == null ? "" : ", pauses over " + DurationText.of(maxGap) + " shortened")
                    + (loop ? ", looping" : "") + (now ? ", timestamps from now" : "") + "; Ctrl-C stops");
            err.flush();
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            try {
                while (true) {
                    long wait = Math.min(statusEvery.toNanos(), deadline - System.nanoTime());
                    if (wait <= 0 || stop.await(wait, TimeUnit.NANOSECONDS)) break;
                    if (System.nanoTime() - deadline >= 0) break;
                    err.println("spindle: replay shdr: " + status(adapter));
                    err.flush();
                }
            } finally {
                adapter.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it closed the adapter
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(status(adapter) + (adapter.lastError() == null ? "" : "; last client error: " + adapter.lastError()));
            out.flush();
            return 0;
        }

        private static String status(ShdrAdapter a) {
            return a.linesSent() + " lines sent, " + a.clients() + (a.clients() == 1 ? " client" : " clients")
                    + " connected (" + a.connections() + " so far), " + a.pongs() + " PINGs answered";
        }

        private static String speedText(double speed) {
            if (speed == ShdrAdapter.MAX_SPEED) return "max speed";
            return NumberText.format(speed) + "x";
        }
    }

    /** --speed: 1x, 10x, 0.5x or max. */
    static final class SpeedOption implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return ShdrAdapter.parseSpeed(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** --max-gap: a duration, or none. */
    static final class GapOption implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            if (value.strip().toLowerCase(Locale.ROOT).equals("none")) return null;
            Duration d = new DurationOption().convert(value);
            if (d.isNegative()) throw new TypeConversionException("'" + value + "' is negative");
            return d;
        }
    }

    /** Durations as people write them: 10s, 1.5s, 250ms. */
    private static final class DurationText {
        static String of(Duration d) {
            long ms = d.toMillis();
            return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        }
    }
}
