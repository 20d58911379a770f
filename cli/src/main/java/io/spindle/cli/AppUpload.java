package io.spindle.cli;

import io.spindle.deploy.AppComponent;
import io.spindle.deploy.Application;
import io.spindle.deploy.Manifests;
import io.spindle.deploy.Problem;
import io.spindle.deploy.Validation;
import io.spindle.deploy.orchestrator.ModelClient;
import io.spindle.deploy.orchestrator.ModelRecords.PutReply;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.KeyValueBucket;
import io.spindle.lattice.transport.Transport;
import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.ModuleShape;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code app put} from a file: validate the manifest as {@code app validate} does, store every component module it
 * names by file in the lattice's components bucket under {@code sha256-<hex>} (the host checks stored bytes against
 * that key), then put the manifest with those digests as its images, so any host can start them.
 */
final class AppUpload {
    /** One component module: uploaded false when the bucket already had it. */
    record Module(String component, String file, String digest, int bytes, boolean uploaded) {
    }

    /** What was stored: the orchestrator's reply, the images sent and the modules behind them. */
    record Result(String name, String version, boolean created, int versions, Map<String, String> images, List<Module> modules) {
        Result(PutReply r, Map<String, String> images, List<Module> modules) {
            this(r.name(), r.version(), r.created(), r.versions(), images, modules);
        }

        /** {@code stored application a version v (2 versions)} or {@code ... already stored, unchanged}. */
        String describe() {
            return (created ? "stored application " + name + " version " + version
                    : "application " + name + " version " + version + " is already stored, unchanged")
                    + " (" + versions + " version" + (versions == 1 ? "" : "s") + ")";
        }
    }

    private AppUpload() {
    }

    /** Validates, uploads and puts file; a progress line per uploaded module goes to err. */
    static Result put(Path file, Transport transport, String lattice, ModelClient models, String what, PrintWriter err) {
        String text = read(file);
        Path dir = file.toAbsolutePath().getParent();
        Validation v = Manifests.validate(text, new AppComponentWorlds(dir, new ComponentRuntime()));
        if (!v.valid()) {
            StringBuilder b = new StringBuilder(file + ": the manifest has " + v.problems().size() + " problem"
                    + (v.problems().size() == 1 ? "" : "s") + "; nothing stored:");
            for (Problem p : v.problems()) b.append(System.lineSeparator()).append("  ").append(file).append(": ").append(p);
            throw new CliFailure(what, b.toString());
        }
        Application app = v.application();
        KeyValueBucket bucket = null;
        Map<String, String> images = new LinkedHashMap<>();
        List<Module> modules = new ArrayList<>();
        for (AppComponent c : app.components()) {
            if (c.type() != AppComponent.Type.COMPONENT || c.image().startsWith("sha256-")) continue;
            Path module = dir.resolve(c.image().startsWith("file://") ? c.image().substring("file://".length()) : c.image()).normalize();
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(module);
            } catch (IOException e) {
                throw new CliFailure(module.toString(), "cannot read component '" + c.name() + "': " + FailureHandler.ioReason(e));
            }
            String digest = "sha256-" + ModuleShape.sha256(bytes);
            if (bucket == null) bucket = transport.keyValue(new Subjects(lattice).componentsBucket());
            boolean present = bucket.get(digest).filter(e -> !e.deleted()).isPresent();
            if (!present) {
                bucket.put(digest, bytes);
                err.println("uploaded component " + c.name() + " (" + module + ", " + bytes.length + " bytes) as " + digest);
                err.flush();
            }
            images.put(c.name(), digest);
            modules.add(new Module(c.name(), module.toString(), digest, bytes.length, !present));
        }
        return new Result(models.put(text, images), images, modules);
    }

    /** The manifest's text; a missing or unreadable file is a failure naming it. */
    static String read(Path file) {
        try {
            return Manifests.read(file);
        } catch (NoSuchFileException e) {
            throw new CliFailure(file.toString(), "no such file");
        } catch (IOException e) {
            throw new CliFailure(file.toString(), e.getClass() == IOException.class ? e.getMessage() : "cannot read: " + FailureHandler.ioReason(e));
        }
    }
}
