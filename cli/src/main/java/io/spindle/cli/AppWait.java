package io.spindle.cli;

import io.spindle.deploy.orchestrator.AppStatus;
import io.spindle.deploy.orchestrator.ModelClient;
import io.spindle.deploy.orchestrator.ModelRecords.DeployRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** {@code --wait}: polls an application's status every 200 ms until it settles, with one line per change on stderr. */
final class AppWait {
    static final Duration POLL = Duration.ofMillis(200);

    /** What a status means for the wait. */
    enum Verdict { DONE, FAILED, CONTINUE }

    private AppWait() {
    }

    /** Until version runs as deployed; failed (or another version taking its place, e.g. an automatic rollback) fails. */
    static AppStatus deployed(ModelClient m, String name, String version, Duration max, PrintWriter err, String what) {
        long since = deployedAt(m.history(name), version);
        return await(m, name, "deployed at version " + version, max, err, what, s -> {
            if (!Objects.equals(version, s.version())) return Verdict.FAILED;
            if (AppStatus.DEPLOYED.equals(s.status())) return Verdict.DONE;
            // a failure reported before this deploy was asked for is the old attempt's, not this one's
            if (AppStatus.FAILED.equals(s.status()) && s.updatedAt() >= since) return Verdict.FAILED;
            return Verdict.CONTINUE;
        });
    }

    /** Until nothing of the application runs. */
    static AppStatus undeployed(ModelClient m, String name, Duration max, PrintWriter err, String what) {
        return await(m, name, "undeployed", max, err, what,
                s -> AppStatus.UNDEPLOYED.equals(s.status()) ? Verdict.DONE : Verdict.CONTINUE);
    }

    private static long deployedAt(List<DeployRecord> history, String version) {
        for (int i = history.size() - 1; i >= 0; i--) if (Objects.equals(history.get(i).version(), version)) return history.get(i).at();
        return 0;
    }

    private static AppStatus await(ModelClient m, String name, String goal, Duration max, PrintWriter err, String what,
                                   Function<AppStatus, Verdict> verdict) {
        long start = System.nanoTime(), end = start + max.toNanos();
        String shown = null;
        while (true) {
            AppStatus s = m.status(name);
            String line = line(s);
            if (!line.equals(shown)) {
                err.println(line);
                err.flush();
                shown = line;
            }
            switch (verdict.apply(s)) {
                case DONE -> {
                    return s;
                }
                case FAILED -> throw new CliFailure(what, "application " + name + " is not " + goal + ": " + line);
                case CONTINUE -> {
                }
            }
            if (System.nanoTime() >= end)
                throw new CliFailure(what, "application " + name + " not " + goal + " within " + seconds(max) + "; last status: " + line);
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure(what, "interrupted while waiting; last status: " + line);
            }
        }
    }

    /** {@code downsampler v2: deployed — <message>}. */
    static String line(AppStatus s) {
        return s.name() + (s.version() == null ? "" : " " + s.version()) + ": " + s.status()
                + (s.message() == null || s.message().isBlank() ? "" : " — " + s.message());
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
