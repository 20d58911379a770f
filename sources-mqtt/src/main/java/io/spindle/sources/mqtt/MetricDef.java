package io.spindle.sources.mqtt;

/** A metric as a birth defined it: the series it feeds and its Sparkplug datatype. */
final class MetricDef {
    final MetricScope scope;
    final String name;
    final String series;
    final int datatype;

    MetricDef(MetricScope scope, String name, int datatype) {
        this.scope = scope;
        this.name = name;
        this.series = scope.prefix + name;
        this.datatype = datatype;
    }
}
