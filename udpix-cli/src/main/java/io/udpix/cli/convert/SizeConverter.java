package io.udpix.cli.convert;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses byte sizes: {@code 4096}, {@code 4096B}, {@code 10KB}/{@code 10MB}/{@code 1GB}/{@code 1TB} (powers of
 * 1000, as disks and networks count), {@code 10KiB}/{@code 10MiB}/{@code 1GiB}/{@code 1TiB} (powers of 1024),
 * {@code 1.5MiB}. Units ignore case. Use as {@code @Option(converter = SizeConverter.class) long sizeBytes}.
 */
public final class SizeConverter implements ITypeConverter<Long> {

    private static final String EXAMPLES = "write e.g. 4096, 64KiB, 10MiB or 1GB";
    private static final Pattern AMOUNT_AND_UNIT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([a-z]*)",
            Pattern.CASE_INSENSITIVE);
    private static final Map<String, Long> BYTES_PER_UNIT = Map.ofEntries(
            Map.entry("", 1L),
            Map.entry("b", 1L),
            Map.entry("kb", 1_000L),
            Map.entry("mb", 1_000_000L),
            Map.entry("gb", 1_000_000_000L),
            Map.entry("tb", 1_000_000_000_000L),
            Map.entry("kib", 1L << 10),
            Map.entry("mib", 1L << 20),
            Map.entry("gib", 1L << 30),
            Map.entry("tib", 1L << 40));

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    /**
     * Parses {@code value} into bytes.
     *
     * @throws TypeConversionException naming what is wrong and what to write instead
     */
    public static long parse(String value) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            throw new TypeConversionException("empty size; " + EXAMPLES);
        }
        if (text.startsWith("-")) {
            throw new TypeConversionException("size '" + value + "' is negative; " + EXAMPLES);
        }
        Matcher matcher = AMOUNT_AND_UNIT.matcher(text);
        if (!matcher.matches()) {
            throw new TypeConversionException("'" + value + "' is not a size; " + EXAMPLES);
        }
        String unit = matcher.group(2);
        Long bytesPerUnit = BYTES_PER_UNIT.get(unit.toLowerCase(Locale.ROOT));
        if (bytesPerUnit == null) {
            // "10M" or "10k": ambiguous between 1000s and 1024s, so refuse rather than guess.
            throw new TypeConversionException("unknown unit '" + unit + "' in '" + value
                    + "'; use B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024)");
        }
        BigDecimal bytes = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(bytesPerUnit));
        try {
            return bytes.longValueExact();
        } catch (ArithmeticException e) {
            boolean fractional = bytes.stripTrailingZeros().scale() > 0;
            throw new TypeConversionException("'" + value + "' is "
                    + (fractional ? "not a whole number of bytes" : "too large") + "; " + EXAMPLES);
        }
    }
}
