package io.spindle.cli;

import io.spindle.deploy.orchestrator.ModelClient;
import io.spindle.lattice.transport.Transport;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spindle app put FILE}: stores a manifest as a new version (its component modules too). */
@Command(name = "put", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Store a manifest as a new version of its application (nothing is deployed).",
                "The manifest is validated first as by `app validate` (problems: exit 1, nothing stored). Every "
                        + "`type: component` whose image is a file (relative to the manifest's directory) is uploaded "
                        + "to the lattice's components bucket under sha256-<hex> of its bytes, and the version refers "
                        + "to that digest, so any host can start it.",
                "Versions are immutable: putting the same version with the same text changes nothing; with other "
                        + "text it is refused (change metadata.annotations.version)."},
        footer = {"", "Example: spindle app put examples/edge-downsampler.yaml --lattice plant1",
                "JSON: {\"name\", \"version\", \"created\", \"versions\", \"images\": {component: digest}, "
                        + "\"modules\": [{\"component\", \"file\", \"digest\", \"bytes\", \"uploaded\"}]}"})
final class AppPut extends AppLattice {
    @Parameters(index = "0", paramLabel = "FILE", description = "The manifest (.yaml, .yml or .json).")
    Path file;

    @Override
    int run(Transport transport, ModelClient models, PrintWriter out, PrintWriter err) {
        AppUpload.Result r = AppUpload.put(file, transport, lattice.lattice, models, what(), err);
        if (json) printJson(out, r);
        else out.println(r.describe());
        return 0;
    }
}
