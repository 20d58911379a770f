package io.spindle.host;

import io.spindle.lattice.transport.KeyValueBucket;
import io.spindle.lattice.transport.KvEntry;
import io.spindle.wasm.ModuleShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a component's module comes from: a REF is a file path on the host, or {@code sha256-<64 hex>} of a module in
 * the lattice's components bucket. Modules started from a file are stored in the bucket under their digest, so every
 * host can start them by digest.
 */
final class ComponentSource {
    static final Pattern DIGEST = Pattern.compile("sha256-[0-9a-f]{64}");

    /** A resolved module. */
    record Module(String ref, String digest, byte[] bytes) {
    }

    private final KeyValueBucket bucket;
    private final long maxBytes;

    ComponentSource(KeyValueBucket bucket, long maxBytes) {
        this.bucket = bucket;
        this.maxBytes = maxBytes;
    }

    /** Resolves ref; IllegalArgumentException with the reason when it is neither a readable file nor a stored digest. */
    Module resolve(String ref) {
        if (ref == null || ref.isBlank()) throw new IllegalArgumentException("component_ref is missing: a file path or sha256-<hex> digest");
        if (ref.startsWith("sha256-")) {
            if (!DIGEST.matcher(ref).matches())
                throw new IllegalArgumentException("component_ref '" + ref + "' is not a digest: sha256- must be followed by 64 lowercase hex digits");
            Optional<KvEntry> e = bucket.get(ref);
            if (e.isEmpty() || e.get().deleted())
                throw new IllegalArgumentException("component_ref '" + ref + "': no module with that digest in " + bucket.name()
                        + " (start it once from a file, which stores it)");
            byte[] b = e.get().value();
            String actual = "sha256-" + ModuleShape.sha256(b);
            if (!actual.equals(ref))
                throw new IllegalArgumentException("component_ref '" + ref + "': the stored module's digest is " + actual + " (damaged bucket entry)");
            return new Module(ref, ref, b);
        }
        Path p;
        try {
            p = Path.of(ref);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("component_ref '" + ref + "' is neither a file path nor sha256-<hex>: " + e.getMessage());
        }
        if (!Files.isRegularFile(p))
            throw new IllegalArgumentException("component_ref '" + ref + "': no such file on this host (nor a sha256-<hex> digest)");
        byte[] b;
        try {
            long size = Files.size(p);
            if (size > maxBytes)
                throw new IllegalArgumentException("component_ref '" + ref + "' is " + size + " bytes, over the module limit of " + maxBytes);
            b = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("component_ref '" + ref + "' cannot be read: " + e.getMessage());
        }
        return new Module(ref, "sha256-" + ModuleShape.sha256(b), b);
    }

    /** Stores a module under its digest unless it is there; returns null or why it could not be stored. */
    String store(Module m) {
        try {
            Optional<KvEntry> e = bucket.get(m.digest());
            if (e.isPresent() && !e.get().deleted()) return null;
            bucket.put(m.digest(), m.bytes());
            return null;
        } catch (RuntimeException e) {
            return "module " + m.digest() + " (" + m.bytes().length + " bytes) could not be stored in " + bucket.name() + ": " + e.getMessage();
        }
    }

    /** The module of digest from the bucket, if stored. */
    Optional<byte[]> get(String digest) {
        if (!DIGEST.matcher(digest).matches()) return Optional.empty();
        try {
            return bucket.get(digest).filter(e -> !e.deleted()).map(KvEntry::value);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
