package io.spindle.deploy;

/**
 * One thing wrong with a manifest.
 *
 * @param path    where in the document, e.g. {@code spec.components[2].traits[0].properties.target}; "" for the
 *                document as a whole
 * @param message what is wrong, in words
 */
public record Problem(String path, String message) {
    /** {@code path: message}, or the message alone for the whole document. */
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
