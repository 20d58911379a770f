package io.spindle.sources.sim;

import io.spindle.sources.Source;
import io.spindle.sources.SourceCounters;
import io.spindle.sources.SourceSink;
import java.time.Instant;
import java.util.Map;

/**
 * A deterministic simulated machine tool: a part program (see {@link MachineProgram}) drives spindle speed and load,
 * X/Y/Z positions and two temperatures at {@value #PROCESS_RATE_HZ} Hz ({@value #TEMPERATURE_RATE_HZ} Hz for the
 * temperatures), N vibration channels at the configured rate with bearing-fault episodes, and the execution state as
 * events. Series are {@code <machine>/<channel>}. Everything is a function of the seed and time.
 *
 * <p>Two ways to use it: pull, with {@link #generator} (one allocation-free generator per channel, for benchmarks),
 * or as a {@link Source}: {@link #start} runs a thread that delivers each channel in chunks, paced to the wall clock
 * from the start time or, with {@code paced=false}, as fast as the sink takes them.
 */
public final class MachineSimulator implements Source {
    /** Rate of speed, load and axis positions. */
    public static final int PROCESS_RATE_HZ = 100;
    /** Rate of the temperatures. */
    public static final int TEMPERATURE_RATE_HZ = 1;
    private static final String[] PROCESS_CHANNELS = {"spindle_speed", "spindle_load", "x", "y", "z", "spindle_temp", "coolant_temp"};
    private static final ProcessGenerator.Kind[] KINDS = ProcessGenerator.Kind.values();

    private final SimulatorConfig config;
    private final SourceCounters counters = new SourceCounters();
    private final Object lock = new Object();
    private DeliveryLoop loop;
    private Thread thread;
    private boolean started, closed;

    /** A simulator with these settings. */
    public MachineSimulator(SimulatorConfig config) {
        if (config == null) throw new IllegalArgumentException("simulator config is null");
        this.config = config;
    }

    /** A simulator from string settings (keys {@link SimulatorConfig#KEYS}); bad or unknown keys are refused by name. */
    public static MachineSimulator fromConfig(Map<String, String> settings) {
        return new MachineSimulator(SimulatorConfig.fromMap(settings));
    }

    /** Its settings. */
    public SimulatorConfig config() {
        return config;
    }

    /** Channels: 7 process channels, then the vibration channels. */
    public int channelCount() {
        return PROCESS_CHANNELS.length + config.channels();
    }

    /** The index of vibration channel k (series {@code vib<k>}). */
    public int vibrationChannel(int k) {
        if (k < 0 || k >= config.channels()) throw new IndexOutOfBoundsException("vibration channel " + k + " of " + config.channels());
        return PROCESS_CHANNELS.length + k;
    }

    /** The series name of a channel. */
    public String series(int channel) {
        check(channel);
        return config.machine() + "/" + (channel < PROCESS_CHANNELS.length ? PROCESS_CHANNELS[channel] : "vib" + (channel - PROCESS_CHANNELS.length));
    }

    /** The series of the execution-state events. */
    public String executionSeries() {
        return config.machine() + "/execution";
    }

    /** A channel's samples per second. */
    public int rateHz(int channel) {
        check(channel);
        if (channel >= PROCESS_CHANNELS.length) return config.rateHz();
        return KINDS[channel].name().endsWith("TEMP") ? TEMPERATURE_RATE_HZ : PROCESS_RATE_HZ;
    }

    /** A new generator of a channel from sample 0 at the configured start (the wall clock now if none is set). */
    public ChannelGenerator generator(int channel) {
        return generator(channel, config.startNs() == SimulatorConfig.START_AT_WALL_CLOCK ? wallClockNs() : config.startNs());
    }

    /** A new generator of a channel whose sample 0 is at epoch ns startNs; its values do not depend on startNs. */
    public ChannelGenerator generator(int channel, long startNs) {
        check(channel);
        return channel < PROCESS_CHANNELS.length
                ? new ProcessGenerator(KINDS[channel], config.seed(), startNs, rateHz(channel))
                : new VibrationGenerator(config.seed(), channel - PROCESS_CHANNELS.length, startNs, config.rateHz());
    }

    private void check(int channel) {
        if (channel < 0 || channel >= channelCount()) throw new IndexOutOfBoundsException("channel " + channel + " of " + channelCount());
    }

    private static long wallClockNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public String name() {
        return "sim:" + config.machine();
    }

    @Override
    public void start(SourceSink sink) {
        if (sink == null) throw new IllegalArgumentException("sink is null");
        synchronized (lock) {
            if (closed) throw new IllegalStateException(name() + " is closed");
            if (started) throw new IllegalStateException(name() + " is already started");
            started = true;
            long startNs = config.startNs() == SimulatorConfig.START_AT_WALL_CLOCK ? wallClockNs() : config.startNs();
            loop = new DeliveryLoop(this, startNs, sink, counters);
            thread = new Thread(loop, name());
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public SourceCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            if (closed) return;
            closed = true;
            if (loop == null) return;
            loop.stop();
            t = thread;
        }
        if (t == Thread.currentThread()) return; // closed from the sink: the loop ends when the call returns
        t.interrupt();
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    @Override
    public String toString() {
        return name() + " " + counters.toMap();
    }
}
