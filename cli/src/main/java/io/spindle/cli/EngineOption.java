package io.spindle.cli;

import io.spindle.wasm.Engine;
import java.util.ArrayList;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --engine compiled|interpreted}; anything else is a usage error. */
final class EngineOption implements ITypeConverter<Engine> {

    @Override
    public Engine convert(String value) {
        for (Engine e : Engine.values()) if (e.name().toLowerCase(Locale.ROOT).equals(value)) return e;
        throw new TypeConversionException("unknown engine '" + value + "' (one of: compiled, interpreted)");
    }

    /** The ids, for help text and shell completion. */
    static final class Ids extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Ids() {
            for (Engine e : Engine.values()) add(e.name().toLowerCase(Locale.ROOT));
        }
    }
}
