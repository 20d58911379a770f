package io.spindle.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a duration: a number with a unit (ns, us, ms, s, m, h, d), a plain number of seconds, or ISO-8601 (PT2S). */
final class DurationOption implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt") || v.startsWith("p")) return Duration.parse(value.strip());
            int i = 0;
            while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.' || v.charAt(i) == '+')) i++;
            BigDecimal n = new BigDecimal(v.substring(0, i));
            long nanosPerUnit = switch (v.substring(i).strip()) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "", "s" -> 1_000_000_000L;
                case "m", "min" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "d" -> 86_400_000_000_000L;
                default -> throw new NumberFormatException();
            };
            return Duration.ofNanos(n.multiply(BigDecimal.valueOf(nanosPerUnit)).longValueExact());
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 2s, 1.5 (seconds), PT2S)");
        }
    }
}
