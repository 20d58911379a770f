package io.spindle.sources.mqtt;

/** A Sparkplug B topic {@code spBv1.0/<group>/<type>/<edge node>[/<device>]} of the six types this source reads. */
record SparkplugTopic(String group, Type type, String edgeNode, String device) {
    static final String NAMESPACE = "spBv1.0";

    /** The message types this source subscribes to. */
    enum Type {
        NBIRTH(false), NDEATH(false), NDATA(false), DBIRTH(true), DDEATH(true), DDATA(true);

        final boolean deviceLevel;

        Type(boolean deviceLevel) {
            this.deviceLevel = deviceLevel;
        }
    }

    /** The parsed topic, or null when topic is not one of the six types with the right number of levels. */
    static SparkplugTopic parse(String topic) {
        String[] p = topic.split("/", -1);
        if (p.length < 4 || !p[0].equals(NAMESPACE)) return null;
        Type type;
        try {
            type = Type.valueOf(p[2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (p.length != (type.deviceLevel ? 5 : 4)) return null;
        for (String level : p) if (level.isEmpty()) return null;
        return new SparkplugTopic(p[1], type, p[3], type.deviceLevel ? p[4] : null);
    }

    /** The MQTT filters that select the six message types of group (a name or "+"). */
    static String[] filters(String group) {
        String g = NAMESPACE + '/' + group + '/';
        return new String[] {g + "NBIRTH/+", g + "NDEATH/+", g + "NDATA/+", g + "DBIRTH/+/+", g + "DDEATH/+/+",
            g + "DDATA/+/+"};
    }

    /** The topic of a command to an edge node. */
    static String ncmd(String group, String edgeNode) {
        return NAMESPACE + '/' + group + "/NCMD/" + edgeNode;
    }
}
