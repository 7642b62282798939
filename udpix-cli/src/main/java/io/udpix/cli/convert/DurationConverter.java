package io.udpix.cli.convert;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses durations like {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, {@code 1h}, {@code 250us},
 * {@code 0}, and ISO-8601 ({@code PT2S}). Negative durations are refused.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final String EXAMPLES = "write e.g. 500ms, 2s, 1.5s, 1m or 0";
    private static final Pattern AMOUNT_AND_UNIT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([a-zµ]*)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "µs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "min", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * Parses {@code value}.
     *
     * @throws TypeConversionException naming what is wrong and what to write instead
     */
    public static Duration parse(String value) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            throw new TypeConversionException("empty duration; " + EXAMPLES);
        }
        if (text.startsWith("-")) {
            throw new TypeConversionException("duration '" + value + "' is negative; " + EXAMPLES);
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            return parseIso(text, value);
        }
        Matcher matcher = AMOUNT_AND_UNIT.matcher(text.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration; " + EXAMPLES);
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        String unit = matcher.group(2);
        if (unit.isEmpty()) {
            if (amount.signum() == 0) {
                return Duration.ZERO;
            }
            throw new TypeConversionException("'" + value + "' has no unit; " + EXAMPLES
                    + " (only 0 may go without one)");
        }
        Long nanosPerUnit = NANOS_PER_UNIT.get(unit);
        if (nanosPerUnit == null) {
            throw new TypeConversionException("unknown unit '" + unit + "' in '" + value
                    + "'; use ns, us, ms, s, m or h");
        }
        BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit));
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is "
                    + (nanos.scale() > 0 && nanos.stripTrailingZeros().scale() > 0
                    ? "finer than a nanosecond" : "too long") + "; " + EXAMPLES);
        }
    }

    private static Duration parseIso(String text, String value) {
        try {
            Duration duration = Duration.parse(text.toUpperCase(Locale.ROOT));
            if (duration.isNegative()) {
                throw new TypeConversionException("duration '" + value + "' is negative; " + EXAMPLES);
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not an ISO-8601 duration; " + EXAMPLES);
        }
    }
}
