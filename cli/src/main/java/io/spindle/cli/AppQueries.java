package io.spindle.cli;

import io.spindle.deploy.orchestrator.ModelClient;
import io.spindle.deploy.orchestrator.ModelRecords.DeployRecord;
import io.spindle.deploy.orchestrator.ModelRecords.ModelSummary;
import io.spindle.deploy.orchestrator.ModelRecords.StoredManifest;
import io.spindle.deploy.orchestrator.ModelRecords.VersionRow;
import io.spindle.lattice.transport.Transport;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spindle app get|list|versions|history}: what the orchestrator stores. */
final class AppQueries {
    private AppQueries() {
    }

    @Command(name = "get", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Print a stored manifest as it was put (the newest version unless VERSION is given).",
            footer = {"", "Example: spindle app get edge-downsampler v0.1.0 > edge.yaml",
                    "JSON: {\"name\", \"version\", \"manifest\", \"images\": {component: digest}, \"put_at\": epoch ms}"})
    static final class Get extends AppLattice {
        @Parameters(index = "0", paramLabel = "NAME", description = "Application name.")
        String name;

        // positional like deploy's: --version is every command's "print the build"
        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "Version (default: the newest).")
        String version;

        @Override
        int run(Transport transport, ModelClient models, PrintWriter out, PrintWriter err) {
            StoredManifest m = models.get(name, version);
            if (json) printJson(out, m);
            else out.print(m.manifest().endsWith("\n") ? m.manifest() : m.manifest() + System.lineSeparator());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Every stored application: its newest and deployed versions and its status.",
            footer = {"", "JSON: [{\"name\", \"latest_version\", \"deployed_version\" (absent when undeployed), \"status\", \"description\", \"versions\"}]"})
    static final class ListApps extends AppLattice {
        @Override
        int run(Transport transport, ModelClient models, PrintWriter out, PrintWriter err) {
            List<ModelSummary> apps = models.list();
            if (json) {
                printJson(out, apps);
                return 0;
            }
            Tables t = new Tables("NAME", "LATEST", "DEPLOYED", "STATUS", "VERSIONS", "DESCRIPTION");
            for (ModelSummary a : apps)
                t.row(a.name(), a.latestVersion(), a.deployedVersion(), a.status(), a.versions(), a.description());
            out.print(t);
            if (apps.isEmpty()) out.println("(no application stored in lattice '" + lattice.lattice + "'; store one with: spindle app put FILE)");
            return 0;
        }
    }

    @Command(name = "versions", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "An application's stored versions, oldest first.",
            footer = {"", "JSON: [{\"version\", \"put_at\": epoch ms, \"deployed\", \"description\"}]"})
    static final class Versions extends AppLattice {
        @Parameters(index = "0", paramLabel = "NAME", description = "Application name.")
        String name;

        @Override
        int run(Transport transport, ModelClient models, PrintWriter out, PrintWriter err) {
            List<VersionRow> rows = models.versions(name);
            if (json) {
                printJson(out, rows);
                return 0;
            }
            Tables t = new Tables("VERSION", "PUT AT", "DEPLOYED", "DESCRIPTION");
            for (VersionRow v : rows) t.row(v.version(), time(v.putAt()), v.deployed() ? "yes" : "-", v.description());
            out.print(t);
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "An application's deploys, undeploys and rollbacks (automatic ones with their reason), oldest first.",
            footer = {"", "JSON: [{\"version\", \"action\", \"at\": epoch ms, \"message\"}]"})
    static final class History extends AppLattice {
        @Parameters(index = "0", paramLabel = "NAME", description = "Application name.")
        String name;

        @Override
        int run(Transport transport, ModelClient models, PrintWriter out, PrintWriter err) {
            List<DeployRecord> rows = models.history(name);
            if (json) {
                printJson(out, rows);
                return 0;
            }
            Tables t = new Tables("VERSION", "ACTION", "AT", "MESSAGE");
            for (DeployRecord r : rows) t.row(r.version(), r.action(), time(r.at()), r.message());
            out.print(t);
            if (rows.isEmpty()) out.println("(" + name + " was never deployed)");
            return 0;
        }
    }
}
