package io.spindle.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: a header row, rows, columns padded to their widest cell. */
final class Tables {
    private final List<String[]> rows = new ArrayList<>();

    Tables(String... header) {
        rows.add(header);
    }

    Tables row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) r[i] = cells[i] == null ? "-" : String.valueOf(cells[i]);
        rows.add(r);
        return this;
    }

    int size() {
        return rows.size() - 1;
    }

    @Override
    public String toString() {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols && i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                String c = i < r.length ? r[i] : "";
                sb.append(c);
                if (i < cols - 1) sb.append(" ".repeat(w[i] - c.length() + 2));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
