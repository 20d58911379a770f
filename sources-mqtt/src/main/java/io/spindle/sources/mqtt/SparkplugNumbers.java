package io.spindle.sources.mqtt;

import static io.spindle.sources.mqtt.SparkplugTypes.*;

import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;

/** Reads the value of a metric of a numeric datatype as a double, allocating nothing. */
final class SparkplugNumbers {
    private SparkplugNumbers() {
    }

    /**
     * Whether the metric's value field can hold a value of the numeric type. Integers may come in int_value or
     * long_value (encoders differ, e.g. UInt32), floats in float_value or double_value.
     */
    static boolean fits(Metric m, int type) {
        return switch (m.getValueCase()) {
            case INT_VALUE, LONG_VALUE -> type <= UINT64;
            case FLOAT_VALUE, DOUBLE_VALUE -> type == FLOAT || type == DOUBLE;
            case BOOLEAN_VALUE -> type == BOOLEAN;
            default -> false;
        };
    }

    /** The value of a metric for which {@link #fits} holds. */
    static double value(Metric m, int type) {
        switch (m.getValueCase()) {
            case FLOAT_VALUE:
                return m.getFloatValue();
            case DOUBLE_VALUE:
                return m.getDoubleValue();
            case BOOLEAN_VALUE:
                return m.getBooleanValue() ? 1 : 0;
            default:
                break;
        }
        boolean small = m.getValueCase() == Metric.ValueCase.INT_VALUE;
        // int_value is a protobuf uint32: the narrow signed types are the low bits in two's complement
        long raw = small ? m.getIntValue() & 0xFFFF_FFFFL : m.getLongValue();
        return switch (type) {
            case INT8 -> (byte) raw;
            case INT16 -> (short) raw;
            case INT32 -> (int) raw;
            case INT64 -> small ? (int) raw : raw;
            case UINT8 -> raw & 0xFF;
            case UINT16 -> raw & 0xFFFF;
            case UINT32 -> raw & 0xFFFF_FFFFL;
            case UINT64 -> unsigned(raw);
            default -> throw new IllegalArgumentException("not an integer datatype: " + name(type));
        };
    }

    /** The uint64 in raw's bits as the nearest double. */
    static double unsigned(long raw) {
        if (raw >= 0) return raw;
        // halve with the low bit kept sticky so the rounding to 53 bits matches the exact value's
        return (double) ((raw >>> 1) | (raw & 1)) * 2.0;
    }
}
