package io.spindle.sources.mqtt;

import static io.spindle.sources.mqtt.SparkplugTypes.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.DataSet;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Template;

/**
 * Renders the value of a metric of a non-numeric datatype as the text of a change-only event: strings as they are,
 * DateTime as ISO-8601, Bytes and File as base64, arrays, DataSets and Templates as compact JSON. Arrays are
 * little-endian packed (Sparkplug 3.0, array types).
 */
final class SparkplugText {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SparkplugText() {
    }

    /** The text of m's value as type; IllegalArgumentException says why when the value does not fit the type. */
    static String render(Metric m, int type) {
        return switch (type) {
            case STRING, TEXT, UUID -> {
                require(m, Metric.ValueCase.STRING_VALUE, type);
                yield m.getStringValue();
            }
            case DATETIME -> {
                require(m, Metric.ValueCase.LONG_VALUE, type);
                yield Instant.ofEpochMilli(m.getLongValue()).toString();
            }
            case BYTES, FILE -> {
                require(m, Metric.ValueCase.BYTES_VALUE, type);
                yield Base64.getEncoder().encodeToString(m.getBytesValue().toByteArray());
            }
            case DATASET -> {
                require(m, Metric.ValueCase.DATASET_VALUE, type);
                yield dataSet(m.getDatasetValue()).toString();
            }
            case TEMPLATE -> {
                require(m, Metric.ValueCase.TEMPLATE_VALUE, type);
                yield template(m.getTemplateValue()).toString();
            }
            default -> {
                if (type < INT8_ARRAY || type > DATETIME_ARRAY) {
                    throw new IllegalArgumentException(name(type) + " values are not supported");
                }
                require(m, Metric.ValueCase.BYTES_VALUE, type);
                yield array(m.getBytesValue().toByteArray(), type).toString();
            }
        };
    }

    private static void require(Metric m, Metric.ValueCase expected, int type) {
        if (m.getValueCase() != expected) {
            throw new IllegalArgumentException(name(type) + " metric carries " + describe(m.getValueCase())
                + " instead of " + describe(expected));
        }
    }

    static String describe(Metric.ValueCase c) {
        return c == Metric.ValueCase.VALUE_NOT_SET ? "no value" : c.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A packed array value as a JSON array. */
    static ArrayNode array(byte[] bytes, int type) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        ArrayNode out = JSON.arrayNode();
        int width = switch (type) {
            case INT8_ARRAY, UINT8_ARRAY -> 1;
            case INT16_ARRAY, UINT16_ARRAY -> 2;
            case INT32_ARRAY, UINT32_ARRAY, FLOAT_ARRAY -> 4;
            case INT64_ARRAY, UINT64_ARRAY, DOUBLE_ARRAY, DATETIME_ARRAY -> 8;
            default -> 0;
        };
        if (width > 0 && bytes.length % width != 0) {
            throw new IllegalArgumentException(name(type) + " of " + bytes.length + " bytes is not a whole number of "
                + width + "-byte elements");
        }
        switch (type) {
            case INT8_ARRAY -> { while (b.hasRemaining()) out.add(b.get()); }
            case UINT8_ARRAY -> { while (b.hasRemaining()) out.add(b.get() & 0xFF); }
            case INT16_ARRAY -> { while (b.hasRemaining()) out.add(b.getShort()); }
            case UINT16_ARRAY -> { while (b.hasRemaining()) out.add(b.getShort() & 0xFFFF); }
            case INT32_ARRAY -> { while (b.hasRemaining()) out.add(b.getInt()); }
            case UINT32_ARRAY -> { while (b.hasRemaining()) out.add(b.getInt() & 0xFFFF_FFFFL); }
            case INT64_ARRAY -> { while (b.hasRemaining()) out.add(b.getLong()); }
            case UINT64_ARRAY -> { while (b.hasRemaining()) out.add(new BigInteger(Long.toUnsignedString(b.getLong()))); }
            case FLOAT_ARRAY -> { while (b.hasRemaining()) out.add(b.getFloat()); }
            case DOUBLE_ARRAY -> { while (b.hasRemaining()) out.add(b.getDouble()); }
            case DATETIME_ARRAY -> { while (b.hasRemaining()) out.add(Instant.ofEpochMilli(b.getLong()).toString()); }
            case BOOLEAN_ARRAY -> booleans(b, bytes.length, out);
            case STRING_ARRAY -> strings(bytes, out);
            default -> throw new IllegalArgumentException(name(type) + " is not an array type");
        }
        return out;
    }

    private static void booleans(ByteBuffer b, int length, ArrayNode out) {
        if (length < 4) throw new IllegalArgumentException("BooleanArray of " + length + " bytes has no 4-byte count");
        long count = b.getInt() & 0xFFFF_FFFFL;
        if (count > (long) (length - 4) * 8) {
            throw new IllegalArgumentException("BooleanArray claims " + count + " values but carries "
                + (length - 4) * 8 + " bits");
        }
        for (int i = 0; i < count; i++) {
            int bits = b.get(4 + i / 8);
            out.add(((bits >> (7 - i % 8)) & 1) == 1); // most significant bit first
        }
    }

    private static void strings(byte[] bytes, ArrayNode out) {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                out.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start != bytes.length) throw new IllegalArgumentException("StringArray does not end with a NUL byte");
    }

    private static ObjectNode dataSet(DataSet d) {
        ObjectNode o = JSON.objectNode();
        ArrayNode columns = o.putArray("columns");
        d.getColumnsList().forEach(columns::add);
        ArrayNode types = o.putArray("types");
        for (int t : d.getTypesList()) types.add(name(t));
        ArrayNode rows = o.putArray("rows");
        for (DataSet.Row r : d.getRowsList()) {
            ArrayNode row = rows.addArray();
            for (int i = 0; i < r.getElementsCount(); i++) {
                DataSet.DataSetValue v = r.getElements(i);
                int t = i < d.getTypesCount() ? d.getTypes(i) : 0;
                switch (v.getValueCase()) {
                    case INT_VALUE -> {
                        if (t == UINT32) row.add(v.getIntValue() & 0xFFFF_FFFFL);
                        else row.add(v.getIntValue());
                    }
                    case LONG_VALUE -> {
                        if (t == UINT64) row.add(new BigInteger(Long.toUnsignedString(v.getLongValue())));
                        else if (t == DATETIME) row.add(Instant.ofEpochMilli(v.getLongValue()).toString());
                        else row.add(v.getLongValue());
                    }
                    case FLOAT_VALUE -> row.add(v.getFloatValue());
                    case DOUBLE_VALUE -> row.add(v.getDoubleValue());
                    case BOOLEAN_VALUE -> row.add(v.getBooleanValue());
                    case STRING_VALUE -> row.add(v.getStringValue());
                    default -> row.addNull();
                }
            }
        }
        return o;
    }

    private static ObjectNode template(Template t) {
        ObjectNode o = JSON.objectNode();
        if (t.hasTemplateRef()) o.put("template_ref", t.getTemplateRef());
        if (t.hasVersion()) o.put("version", t.getVersion());
        ObjectNode metrics = o.putObject("metrics");
        for (Metric m : t.getMetricsList()) {
            String name = m.hasName() ? m.getName() : "alias:" + Long.toUnsignedString(m.getAlias());
            int type = m.getDatatype();
            if (m.getIsNull()) {
                metrics.putNull(name);
            } else if (SparkplugTypes.numeric(type) && SparkplugNumbers.fits(m, type)) {
                if (type == BOOLEAN) metrics.put(name, m.getBooleanValue());
                else metrics.put(name, SparkplugNumbers.value(m, type));
            } else if (SparkplugTypes.metricType(type)) {
                try {
                    metrics.put(name, render(m, type));
                } catch (IllegalArgumentException e) {
                    metrics.put(name, "<" + e.getMessage() + ">");
                }
            } else {
                metrics.put(name, "<" + describe(m.getValueCase()) + " without datatype>");
            }
        }
        return o;
    }
}
