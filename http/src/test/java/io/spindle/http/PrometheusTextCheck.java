package io.spindle.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Prometheus text format 0.0.4 line by line, failing on any line that is not valid, and checks histograms. */
final class PrometheusTextCheck {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(?:" + LABEL + ")(?:," + LABEL + ")*\\})? (\\S+)");
    private static final Pattern VALUE = Pattern.compile("NaN|[+-]Inf|[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private PrometheusTextCheck() {
    }

    /** Sample values by their full name with labels ("name{a=\"b\"}"). */
    static Map<String, Double> parse(String text) {
        assertThat(text).endsWith("\n");
        Map<String, String> types = new HashMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        String lastType = null;
        for (String line : text.split("\n")) {
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                assertThat(types).as("HELP before TYPE, once per family: %s", line).doesNotContainKey(m.group(1));
                continue;
            }
            if ((m = TYPE.matcher(line)).matches()) {
                assertThat(types.put(m.group(1), m.group(2))).as("one TYPE per family: %s", line).isNull();
                lastType = m.group(1);
                continue;
            }
            m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line: '%s'", line).isTrue();
            String name = m.group(1);
            assertThat(VALUE.matcher(m.group(3)).matches()).as("value of '%s'", line).isTrue();
            String family = name.replaceAll("_(bucket|sum|count)$", "");
            assertThat(family.equals(lastType) || name.equals(lastType)).as("'%s' follows its family's TYPE line", line).isTrue();
            if ("counter".equals(types.get(name))) assertThat(name).endsWith("_total");
            String v = m.group(3);
            double d = v.equals("+Inf") ? Double.POSITIVE_INFINITY : v.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(v);
            assertThat(samples.put(name + (m.group(2) == null ? "" : m.group(2)), d)).as("one sample per name and labels: %s", line).isNull();
        }
        checkHistograms(samples, types);
        return samples;
    }

    private static void checkHistograms(Map<String, Double> samples, Map<String, String> types) {
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) continue;
            String h = t.getKey();
            Map<String, Double> lastBucket = new HashMap<>();
            for (Map.Entry<String, Double> s : samples.entrySet()) {
                if (!s.getKey().startsWith(h + "_bucket{")) continue;
                String series = s.getKey().replaceAll(",?le=\"[^\"]*\"", "").replace(h + "_bucket", "");
                Double prev = lastBucket.put(series, s.getValue());
                if (prev != null) assertThat(s.getValue()).as("cumulative bucket %s", s.getKey()).isGreaterThanOrEqualTo(prev);
                if (s.getKey().contains("le=\"+Inf\"")) {
                    String count = h + "_count" + (series.equals("{}") ? "" : series);
                    assertThat(samples).containsKey(count);
                    assertThat(samples.get(count)).as("%s equals the +Inf bucket", count).isEqualTo(s.getValue());
                    assertThat(samples).containsKey(h + "_sum" + (series.equals("{}") ? "" : series));
                }
            }
        }
    }
}
