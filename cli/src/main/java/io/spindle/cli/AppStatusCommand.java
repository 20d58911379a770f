package io.spindle.cli;

import io.spindle.deploy.orchestrator.AppStatus;
import io.spindle.deploy.orchestrator.ModelClient;
import io.spindle.lattice.CtlException;
import io.spindle.lattice.transport.Transport;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spindle app status NAME [--watch]}: where an application stands, per component. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Where an application stands (undeployed, reconciling, deployed, failed with the reason, "
                + "waiting for a matching host), then one row per component: instances desired, the hosts running "
                + "them (ids shortened to 8 characters), its own status and why.",
                "--watch prints it again on every change (polled every 250 ms) until Ctrl-C; with --json, one JSON "
                        + "line per change."},
        footer = {"", "Examples:", "  spindle app status edge-downsampler", "  spindle app status edge-downsampler --watch --json",
                "JSON: {\"name\", \"version\", \"status\", \"message\", \"updated_at\": epoch ms, \"components\": [{\"name\", "
                        + "\"id\", \"type\", \"image\", \"desired\", \"hosts\": [host id], \"status\", \"message\"}]}"})
final class AppStatusCommand extends AppLattice {
    static final long WATCH_POLL_MS = 250;

    @Parameters(index = "0", paramLabel = "NAME", description = "Application name.")
    String name;

    @Option(names = "--watch", description = "Print again on every change until interrupted (Ctrl-C).")
    boolean watch;

    @Override
    int run(Transport transport, ModelClient models, PrintWriter out, PrintWriter err) {
        AppStatus s = models.status(name);
        print(s, out);
        if (!watch) return 0;
        AppStatus shown = s.withoutTime();
        while (true) {
            try {
                Thread.sleep(WATCH_POLL_MS);
                s = models.status(name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            } catch (CtlException e) {
                if (Thread.currentThread().isInterrupted()) return 0;
                throw e;
            }
            if (s.withoutTime().equals(shown)) continue;
            shown = s.withoutTime();
            if (!json) out.println();
            print(s, out);
        }
    }

    private void print(AppStatus s, PrintWriter out) {
        if (json) printJson(out, s);
        else out.print(render(s));
        out.flush();
    }

    /** The status line and, when the application has components, their table. */
    static String render(AppStatus s) {
        StringBuilder b = new StringBuilder(AppWait.line(s)).append(System.lineSeparator());
        if (s.components().isEmpty()) return b.toString();
        Tables t = new Tables("NAME", "ID", "TYPE", "DESIRED", "RUNNING ON", "STATUS", "MESSAGE");
        for (AppStatus.ComponentStatus c : s.components())
            t.row(c.name(), c.id(), c.type(), c.desired(), hosts(c.hosts()), c.status(), c.message());
        return b.append(t).toString();
    }

    /** {@code 0}, or the count and the host ids shortened: {@code 2: NABCDEFG,NBCDEFGH}. */
    static String hosts(List<String> ids) {
        if (ids.isEmpty()) return "0";
        StringBuilder b = new StringBuilder().append(ids.size()).append(": ");
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) b.append(',');
            String id = ids.get(i);
            b.append(id.length() > 8 ? id.substring(0, 8) : id);
        }
        return b.toString();
    }
}
