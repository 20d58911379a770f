package io.spindle.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Series or device names as Grafana sends them after variable interpolation in its "regex" format: a plain name,
 * a name with regex metacharacters escaped ({@code m1\.vib}), or several as an alternation {@code (a|b\.c)}.
 * Read as a list of literal names, never compiled as a regular expression (so no pattern can be made to run long).
 */
final class NameList {
    private NameList() {
    }

    /** The literal names text stands for: itself if known, else its alternation / escapes read as literals. */
    static List<String> parse(String text, java.util.function.Predicate<String> known) {
        if (known.test(text)) return List.of(text);
        String body = text;
        if (body.length() >= 2 && (body.startsWith("(") && body.endsWith(")") || body.startsWith("{") && body.endsWith("}")))
            body = body.substring(1, body.length() - 1);
        char sep = text.startsWith("{") ? ',' : '|';
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) cur.append(body.charAt(++i));
            else if (c == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else cur.append(c);
        }
        out.add(cur.toString());
        return out;
    }

    /** The device of a series: the part before the first '/', or the whole name when it has none. */
    static String device(String series) {
        int slash = series.indexOf('/');
        return slash < 0 ? series : series.substring(0, slash);
    }
}
