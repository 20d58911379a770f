package io.spindle.sources.opcua;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;

/**
 * One configured node: its id as written ({@code ns=2;s=Machine/SpindleLoad}, {@code nsu=urn:x;i=7}, ...) and an
 * optional series name (null: the series is named after the node's browse name).
 */
public record NodeSpec(String text, ExpandedNodeId nodeId, String series) {
    /** Checks the parts; use {@link #parse} to read one from text. */
    public NodeSpec {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("node id is empty");
        if (nodeId == null) throw new IllegalArgumentException("node '" + text + "': no node id");
        if (!nodeId.isLocal()) {
            throw new IllegalArgumentException("node '" + text + "': points to another server (svr=), only local nodes are read");
        }
        if (series != null && (series.isBlank() || !series.strip().equals(series) || series.endsWith("/"))) {
            throw new IllegalArgumentException("node '" + text + "': series name '" + series + "' is blank, has outer spaces or ends in '/'");
        }
    }

    /**
     * Reads one entry: {@code NODE_ID} or {@code SERIES=NODE_ID}. An entry that parses as a node id as a whole is one
     * (so {@code ns=2;s=a=b} is a node whose string id is {@code a=b}); otherwise the text before the first '=' is the
     * series name.
     */
    public static NodeSpec parse(String entry) {
        String e = entry.strip();
        if (e.isEmpty()) throw new IllegalArgumentException("empty node entry");
        ExpandedNodeId whole = tryParse(e);
        if (whole != null) return new NodeSpec(e, whole, null);
        int eq = e.indexOf('=');
        if (eq > 0) {
            String series = e.substring(0, eq).strip();
            String id = e.substring(eq + 1).strip();
            ExpandedNodeId parsed = tryParse(id);
            if (parsed != null && !series.isEmpty()) return new NodeSpec(id, parsed, series);
        }
        throw new IllegalArgumentException("'" + e + "' is neither a node id (ns=<index>;<i|s|g|b>=<id> or "
                + "nsu=<uri>;<i|s|g|b>=<id>) nor SERIES=<node id>");
    }

    /**
     * Reads a node list: entries one per line, or, when the text has no line break, separated by '|'. Blank entries are
     * skipped. Node ids contain ';' (and may contain ','), hence neither separates entries.
     */
    public static List<NodeSpec> parseList(String text) {
        String[] entries = text.indexOf('\n') >= 0 ? text.split("\r?\n") : text.split("\\|");
        List<NodeSpec> specs = new ArrayList<>();
        for (String entry : entries) {
            if (!entry.isBlank()) specs.add(parse(entry));
        }
        return specs;
    }

    private static ExpandedNodeId tryParse(String s) {
        // a node id starts with its namespace or identifier type; anything else (a series name) is not one
        if (!(s.startsWith("ns=") || s.startsWith("nsu=") || s.startsWith("svr=") || s.startsWith("i=")
                || s.startsWith("s=") || s.startsWith("g=") || s.startsWith("b="))) {
            return null;
        }
        try {
            return ExpandedNodeId.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
