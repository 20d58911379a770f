package io.spindle.sources.mqtt;

/** The Sparkplug B 3.0 datatype codes (payloads: datatype details) this source tells apart. */
final class SparkplugTypes {
    static final int INT8 = 1, INT16 = 2, INT32 = 3, INT64 = 4, UINT8 = 5, UINT16 = 6, UINT32 = 7, UINT64 = 8,
        FLOAT = 9, DOUBLE = 10, BOOLEAN = 11, STRING = 12, DATETIME = 13, TEXT = 14, UUID = 15, DATASET = 16,
        BYTES = 17, FILE = 18, TEMPLATE = 19, PROPERTY_SET = 20, PROPERTY_SET_LIST = 21, INT8_ARRAY = 22,
        INT16_ARRAY = 23, INT32_ARRAY = 24, INT64_ARRAY = 25, UINT8_ARRAY = 26, UINT16_ARRAY = 27, UINT32_ARRAY = 28,
        UINT64_ARRAY = 29, FLOAT_ARRAY = 30, DOUBLE_ARRAY = 31, BOOLEAN_ARRAY = 32, STRING_ARRAY = 33,
        DATETIME_ARRAY = 34;

    private static final String[] NAMES = {"Unknown", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32",
        "UInt64", "Float", "Double", "Boolean", "String", "DateTime", "Text", "UUID", "DataSet", "Bytes", "File",
        "Template", "PropertySet", "PropertySetList", "Int8Array", "Int16Array", "Int32Array", "Int64Array",
        "UInt8Array", "UInt16Array", "UInt32Array", "UInt64Array", "FloatArray", "DoubleArray", "BooleanArray",
        "StringArray", "DateTimeArray"};

    private SparkplugTypes() {
    }

    /** Whether values of the datatype become samples (Int8..UInt64, Float, Double, Boolean as 0/1). */
    static boolean numeric(int type) {
        return type >= INT8 && type <= BOOLEAN;
    }

    /** Whether a metric may be defined with the datatype (1..34 except the two PropertyValue-only types). */
    static boolean metricType(int type) {
        return type >= INT8 && type <= DATETIME_ARRAY && type != PROPERTY_SET && type != PROPERTY_SET_LIST;
    }

    static String name(int type) {
        return type >= 0 && type < NAMES.length ? NAMES[type] : "datatype " + Integer.toUnsignedString(type);
    }
}
