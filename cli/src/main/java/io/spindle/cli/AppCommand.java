package io.spindle.cli;

import io.spindle.deploy.Application;
import io.spindle.deploy.Manifests;
import io.spindle.deploy.Problem;
import io.spindle.deploy.Validation;
import io.spindle.wasm.ComponentRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spindle app ...}: applications declared in manifests (OAM core.oam.dev/v1beta1, wadm's shape). */
@Command(name = "app", subcommands = {AppPut.class, AppQueries.Get.class, AppQueries.ListApps.class, AppQueries.Versions.class,
        AppDeploy.Deploy.class, AppDeploy.Undeploy.class, AppStatusCommand.class, AppQueries.History.class,
        AppDeploy.Rollback.class, AppDeploy.Delete.class, AppCommand.Validate.class}, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Applications: components, built-in providers, their scalers and links, declared in one "
                + "manifest (OAM core.oam.dev/v1beta1 Application in wadm's shape, YAML or JSON; see deploy/README.md).",
                "Every command but validate talks to the lattice's orchestrator (`spindle host` runs one unless "
                        + "--no-orchestrator, or `spindle orchestrator`) and takes --nats, --lattice and --timeout."},
        footer = {"", "Example:", "  spindle app deploy examples/edge-downsampler.yaml --wait", "  spindle app status edge-downsampler --watch"})
public final class AppCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (one of: "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** {@code spindle app validate FILE}: every problem of a manifest, each with its path. */
    @Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Check a manifest: fields, types and ranges, unique names and ids, capability images, "
                    + "scalers and spreads, and every link (its target, package and interfaces, and whether the "
                    + "component's world imports or exports them; component modules are loaded, nothing runs).",
                    "Relative component images are resolved against the manifest's directory.",
                    "Exit code 0 when valid, 1 when invalid or unreadable."},
            footer = {"", "Example: spindle app validate examples/edge-downsampler.yaml"})
    static final class Validate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The manifest (.yaml, .yml or .json).")
        Path file;

        @Option(names = "--json", description = "Print one JSON object: {\"file\", \"valid\", \"application\", "
                + "\"version\", \"problems\": [{\"path\", \"message\"}]} (application and version null when unknown).")
        boolean json;

        @Override
        public Integer call() {
            String text;
            try {
                text = Manifests.read(file);
            } catch (NoSuchFileException e) {
                return unreadable("no such file");
            } catch (IOException e) {
                return unreadable(e.getClass() == IOException.class ? e.getMessage() : "cannot read: " + FailureHandler.ioReason(e));
            }
            Path dir = file.toAbsolutePath().getParent();
            Validation v = Manifests.validate(text, new AppComponentWorlds(dir, new ComponentRuntime()));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(toJson(v.application(), v.problems()));
            } else if (v.valid()) {
                Application a = v.application();
                out.println(file + ": valid (application " + a.name() + " version " + a.version() + ": "
                        + count(a.components().size(), "component") + ", " + count(a.linkCount(), "link") + ")");
            } else {
                for (Problem p : v.problems()) out.println(file + ": " + p);
            }
            out.flush();
            return v.valid() ? 0 : 1;
        }

        private int unreadable(String why) {
            if (!json) throw new CliFailure(file.toString(), why);
            PrintWriter out = spec.commandLine().getOut();
            out.println(toJson(null, List.of(new Problem("", why))));
            out.flush();
            return 1;
        }

        private String toJson(Application a, List<Problem> problems) {
            StringBuilder sb = new StringBuilder(256).append('{');
            Json.string(Json.key(sb, "file"), file.toString()).append(',');
            Json.key(sb, "valid").append(problems.isEmpty() && a != null).append(',');
            nullable(Json.key(sb, "application"), a == null ? null : a.name()).append(',');
            nullable(Json.key(sb, "version"), a == null ? null : a.version()).append(',');
            Json.key(sb, "problems").append('[');
            for (int i = 0; i < problems.size(); i++) {
                if (i > 0) sb.append(',');
                sb.append('{');
                Json.string(Json.key(sb, "path"), problems.get(i).path()).append(',');
                Json.string(Json.key(sb, "message"), problems.get(i).message()).append('}');
            }
            return sb.append("]}").toString();
        }

        private static StringBuilder nullable(StringBuilder sb, String s) {
            return s == null ? sb.append("null") : Json.string(sb, s);
        }

        private static String count(int n, String what) {
            return n + " " + what + (n == 1 ? "" : "s");
        }
    }
}
