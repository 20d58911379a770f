package io.spindle.cli;

import io.spindle.deploy.orchestrator.AppStatus;
import io.spindle.deploy.orchestrator.ModelClient;
import io.spindle.deploy.orchestrator.ModelRecords.DeployReply;
import io.spindle.lattice.transport.Transport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code spindle app deploy|undeploy|rollback|delete}: change what the orchestrator runs. */
final class AppDeploy {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private AppDeploy() {
    }

    /** {@code --wait[=DURATION]}: absent null, given without a value 60 s. */
    abstract static class Waiting extends AppLattice {
        @Option(names = "--wait", arity = "0..1", paramLabel = "DURATION", fallbackValue = "60s", converter = DurationOption.class,
                description = "Wait until it is done (default 60s when given without a value), polling the status every "
                        + "200 ms with a line per change on stderr; not done in time or failed: exit 1 with the last status.")
        Duration wait;

        long started = System.nanoTime();

        String took() {
            return AppWait.seconds(Duration.ofNanos(System.nanoTime() - started));
        }

        /** Prints what was asked (doing: a format of name and version) and, with --wait, waits for it. */
        int finish(ModelClient models, DeployResult r, String doing, PrintWriter out, PrintWriter err) {
            String asked = doing.formatted(r.name(), r.version());
            if (wait == null) {
                if (json) printJson(out, r);
                else out.println(asked);
                return 0;
            }
            if (!json) {
                out.println(asked);
                out.flush();
            }
            AppStatus s = AppWait.deployed(models, r.name(), r.version(), wait, err, what());
            if (json) printJson(out, new DeployResult(r.name(), r.version(), r.put(), s));
            else out.println("application " + r.name() + " version " + r.version() + " deployed (" + took() + ")");
            return 0;
        }
    }

    /** The JSON of deploy and rollback: put is set when a file was put first, status when waited for. */
    record DeployResult(String name, String version, AppUpload.Result put, AppStatus status) {
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Deploy a version of an application: the orchestrator places and links its components and "
                    + "replaces a deployed version one host at a time (a failing new version is rolled back automatically).",
                    "NAME|FILE is a stored application's name, or a manifest file, which is put first (as `app put`) and "
                            + "its version deployed."},
            footer = {"", "Examples:", "  spindle app deploy examples/edge-downsampler.yaml --wait",
                    "  spindle app deploy edge-downsampler v0.1.0 --wait=2m",
                    "JSON: {\"name\", \"version\", \"put\" (the `app put` JSON, when a file was put), \"status\" (the `app status` JSON, with --wait)}"})
    static final class Deploy extends Waiting {
        @Parameters(index = "0", paramLabel = "NAME|FILE", description = "Application name, or a manifest file to put and deploy.")
        String target;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "Version to deploy (default: the newest; not with a FILE).")
        String version;

        @Override
        int run(Transport transport, ModelClient models, PrintWriter out, PrintWriter err) {
            AppUpload.Result put = null;
            String name = target, v = version;
            Path file = Path.of(target);
            if (Files.isRegularFile(file)) {
                if (version != null)
                    throw new ParameterException(spec.commandLine(), "VERSION is not taken with a manifest FILE (its metadata.annotations.version is deployed)");
                put = AppUpload.put(file, transport, lattice.lattice, models, what(), err);
                if (!json) out.println(put.describe());
                name = put.name();
                v = put.version();
            } else if (!NAME.matcher(target).matches()) {
                throw new CliFailure(target, "no such file (nor an application name: 1-64 of [A-Za-z0-9_-])");
            }
            DeployReply r = models.deploy(name, v);
            return finish(models, new DeployResult(r.name(), r.version(), put, null), r.unchanged()
                    ? "application %s version %s is already deployed" : "deploying application %s version %s", out, err);
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Deploy the version that was deployed before the current one.",
            footer = {"", "Example: spindle app rollback edge-downsampler --wait",
                    "JSON: {\"name\", \"version\", \"status\" (the `app status` JSON, with --wait)}"})
    static final class Rollback extends Waiting {
        @Parameters(index = "0", paramLabel = "NAME", description = "Application name.")
        String name;

        @Override
        int run(Transport transport, ModelClient models, PrintWriter out, PrintWriter err) {
            DeployReply r = models.rollback(name);
            return finish(models, new DeployResult(r.name(), r.version(), null, null), "rolling back application %s to version %s", out, err);
        }
    }

    @Command(name = "undeploy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Undeploy an application: everything it started is stopped (components checkpointed first), "
                    + "its links and configs deleted. Its versions stay stored.",
            footer = {"", "Example: spindle app undeploy edge-downsampler --wait",
                    "JSON: {\"name\", \"status\" (the `app status` JSON, with --wait)}"})
    static final class Undeploy extends Waiting {
        @Parameters(index = "0", paramLabel = "NAME", description = "Application name.")
        String name;

        @Override
        int run(Transport transport, ModelClient models, PrintWriter out, PrintWriter err) {
            models.undeploy(name);
            if (wait == null) {
                if (json) printJson(out, result(null));
                else out.println("undeploying application " + name);
                return 0;
            }
            AppStatus s = AppWait.undeployed(models, name, wait, err, what());
            if (json) printJson(out, result(s));
            else out.println("application " + name + " undeployed (" + took() + ")");
            return 0;
        }

        private Map<String, Object> result(AppStatus s) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("status", s);
            return m;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Delete one stored version (not the deployed one), or the whole application (undeploy it first).",
            footer = {"", "Examples:", "  spindle app delete edge-downsampler v0.1.0", "  spindle app delete edge-downsampler",
                    "JSON: {\"deleted\": name, \"version\" (when one version was deleted)}"})
    static final class Delete extends AppLattice {
        @Parameters(index = "0", paramLabel = "NAME", description = "Application name.")
        String name;

        // positional like deploy's: --version is every command's "print the build"
        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "Delete only this version.")
        String version;

        @Override
        int run(Transport transport, ModelClient models, PrintWriter out, PrintWriter err) {
            models.delete(name, version);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("deleted", name);
                m.put("version", version);
                printJson(out, m);
            } else {
                out.println(version == null ? "deleted application " + name : "deleted version " + version + " of application " + name);
            }
            return 0;
        }
    }
}
