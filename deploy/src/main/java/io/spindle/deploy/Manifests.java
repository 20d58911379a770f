package io.spindle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and validates application manifests (OAM {@code core.oam.dev/v1beta1} Applications, YAML or JSON). */
public final class Manifests {
    /** Larger manifests are refused unread. */
    public static final int MAX_BYTES = 1 << 20;

    private Manifests() {
    }

    /** Validates a manifest's text against Spindle's linkables, looking component worlds up in worlds. */
    public static Validation validate(String text, ComponentWorlds worlds) {
        return validate(text, Linkables.SPINDLE, worlds);
    }

    /** Validates a manifest's text: every problem, each with its path. */
    public static Validation validate(String text, Linkables linkables, ComponentWorlds worlds) {
        List<Problem> problems = new ArrayList<>();
        if (text.length() > MAX_BYTES) {
            problems.add(new Problem("", "the manifest is " + text.length() + " characters, over the limit of " + MAX_BYTES));
            return new Validation(null, problems);
        }
        JsonNode root = ManifestText.parse(text, problems);
        if (root == null) return new Validation(null, problems);
        Application app = ManifestBinder.bind(root, problems);
        ManifestValidator.check(app, linkables, worlds, problems);
        return new Validation(app, problems);
    }

    /**
     * The text of a manifest file, refusing files over {@link #MAX_BYTES} and text that is not UTF-8.
     *
     * @throws IOException when the file cannot be read, or with the reason it is refused
     */
    public static String read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) throw new IOException("is " + size + " bytes, over the manifest limit of " + MAX_BYTES);
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("is not UTF-8 text");
        }
    }
}
