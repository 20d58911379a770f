package io.spindle.sources.opcua;

import java.util.Map;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.XmlElement;

/** How decoded OPC UA values become numbers (samples) or text (events). */
final class Variants {
    /** Text longer than this is cut (with a marker) so one huge array value cannot swamp the event path. */
    static final int MAX_TEXT = 4096;

    private Variants() {
    }

    /** Whether the value is a sample: every integer type, Float, Double and Boolean. */
    static boolean isNumeric(Object value) {
        // Milo decodes UInt8..UInt64 to UByte..ULong, which are Numbers too
        return value instanceof Number || value instanceof Boolean;
    }

    /** The numeric value of a value for which {@link #isNumeric} holds; Boolean is 1 or 0. */
    static double toDouble(Object value) {
        if (value instanceof Boolean b) return b ? 1.0 : 0.0;
        return ((Number) value).doubleValue();
    }

    /** The event text of a non-numeric value; {@code enumNames} (may be null) names the values of an enumeration. */
    static String text(Object value, Map<Long, String> enumNames) {
        if (enumNames != null && value instanceof Number n) {
            String name = enumNames.get(n.longValue());
            return name != null ? name : String.valueOf(n.longValue());
        }
        String s = text(value);
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "...(" + s.length() + " chars)";
    }

    private static String text(Object value) {
        if (value == null) return "NULL";
        if (value instanceof String s) return s;
        if (value instanceof LocalizedText t) return t.text() == null ? "" : t.text();
        if (value instanceof QualifiedName q) return q.name() == null ? "" : q.name();
        if (value instanceof DateTime d) return d.toIso8601String();
        if (value instanceof NodeId id) return id.toParseableString();
        if (value instanceof ExpandedNodeId id) return id.toParseableString();
        if (value instanceof StatusCode sc) return statusName(sc);
        if (value instanceof ByteString b) return hex(b.bytesOrEmpty());
        if (value instanceof XmlElement x) return x.fragment() == null ? "" : x.fragment();
        if (value instanceof Object[] array) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < array.length && sb.length() <= MAX_TEXT; i++) {
                if (i > 0) sb.append(", ");
                sb.append(text(array[i]));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(value);
    }

    /** The symbolic name of a status code, e.g. {@code Bad_NodeIdUnknown}; the hex value when it has none. */
    static String statusName(StatusCode status) {
        // the low bits carry info flags (overflow, limits); the name belongs to the high 16 bits
        long code = status.value() & 0xFFFF_0000L;
        return StatusCodes.lookup(code).map(a -> a[0]).orElse(String.format("0x%08X", status.value()));
    }

    /** The name and description of a status code, for rejections. */
    static String statusText(StatusCode status) {
        long code = status.value() & 0xFFFF_0000L;
        return StatusCodes.lookup(code)
                .map(a -> a.length > 1 && !a[1].isEmpty() ? a[0] + " (" + a[1] + ")" : a[0])
                .orElse(String.format("0x%08X", status.value()));
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        return sb.toString();
    }
}
