package io.spindle.cli;

import io.spindle.downsample.Algorithm;
import java.util.ArrayList;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --algo} by id (lttb, minmaxlttb, m4, minmax); an unknown id is a usage error. */
final class AlgorithmOption implements ITypeConverter<Algorithm> {

    @Override
    public Algorithm convert(String value) {
        try {
            return Algorithm.byId(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** The ids, for help text and shell completion. */
    static final class Ids extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Ids() {
            for (Algorithm a : Algorithm.values()) add(a.id());
        }
    }
}
