package io.spindle.http;

import java.util.Map;
import java.util.regex.Pattern;

/** Writing pieces of the Prometheus text exposition format 0.0.4: names, escaped labels and help, numbers. */
final class PrometheusText {
    static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private PrometheusText() {
    }

    static void checkName(String name) {
        if (name == null || !METRIC_NAME.matcher(name).matches())
            throw new IllegalArgumentException("metric name '" + name + "' is not a Prometheus name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
    }

    static void checkLabels(String metric, Map<String, String> labels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String k = e.getKey();
            if (k == null || !LABEL_NAME.matcher(k).matches() || k.startsWith("__"))
                throw new IllegalArgumentException("metric " + metric + ": label name '" + k + "' is not a Prometheus label name");
            if (k.equals("le")) throw new IllegalArgumentException("metric " + metric + ": label 'le' is reserved for histogram buckets");
            if (e.getValue() == null) throw new IllegalArgumentException("metric " + metric + ": label '" + k + "' has no value");
        }
    }

    static void help(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') out.append("\\\\");
            else if (c == '\n') out.append("\\n");
            else out.append(c);
        }
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Writes {@code {a="x",b="y"}} for sorted labels plus an optional extra (le) label; nothing when both are empty. */
    static void labels(StringBuilder out, Map<String, String> sorted, String extraName, String extraValue) {
        if (sorted.isEmpty() && extraName == null) return;
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (!first) out.append(',');
            first = false;
            out.append(e.getKey()).append("=\"");
            escapeValue(out, e.getValue());
            out.append('"');
        }
        if (extraName != null) {
            if (!first) out.append(',');
            out.append(extraName).append("=\"").append(extraValue).append('"');
        }
        out.append('}');
    }

    private static void escapeValue(StringBuilder out, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\') out.append("\\\\");
            else if (c == '"') out.append("\\\"");
            else if (c == '\n') out.append("\\n");
            else out.append(c);
        }
    }

    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Double.NEGATIVE_INFINITY) return "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        double a = Math.abs(v);
        // plain decimals ("0.0005", not "5.0E-4") where that stays short; Prometheus reads either
        if (a >= 1e-9 && a < 1e15) return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return Double.toString(v);
    }
}
