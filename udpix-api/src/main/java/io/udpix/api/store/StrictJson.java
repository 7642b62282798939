package io.udpix.api.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A strict RFC 8259 JSON checker and compactor without any library, so receiving and logging JSON needs no Jackson
 * on the class path: exactly one value, no comments, no trailing commas, no NaN, no raw control characters in
 * strings, no duplicate keys in an object (RFC 7493 section 2.3), nesting at most {@value #MAX_DEPTH} deep (the
 * same bound as Jackson's default; deeper input is refused, never a stack overflow: the parser is iterative).
 * The input must already be valid UTF-8 ({@link MessageLog#validateJson} checks that first).
 */
final class StrictJson {
    /** Deepest nesting of objects and arrays accepted. */
    static final int MAX_DEPTH = 1000;
    /** Stands for an array on the container stack (an object's entry is its set of keys). */
    private static final Object ARRAY = new Object();

    private final byte[] b;
    private int pos;
    private int line = 1;
    private int lineStart;

    private StrictJson(byte[] document) {
        this.b = document;
    }

    /** Null when {@code utf8} is exactly one strict JSON value, else what is wrong and where. */
    static String validate(byte[] utf8) {
        return new StrictJson(utf8).document();
    }

    /**
     * {@code validUtf8Json} (already {@link #validate validated}) without the whitespace between tokens: the same
     * value on one line, numbers and string escapes byte for byte as sent.
     */
    static void compactTo(byte[] validUtf8Json, ByteArrayOutputStream out) {
        boolean inString = false;
        boolean escaped = false;
        for (byte c : validUtf8Json) {
            if (inString) {
                out.write(c);
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.write(c);
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                out.write(c);
            }
        }
    }

    private String document() {
        skipWhitespace();
        if (pos == b.length) {
            return "invalid JSON: the document is empty";
        }
        String error = value();
        if (error != null) {
            return error;
        }
        skipWhitespace();
        if (pos < b.length) {
            return "invalid JSON: more than one value (extra " + describe(b[pos]) + " at " + where() + ")";
        }
        return null;
    }

    /** One value, containers walked with an explicit stack. */
    private String value() {
        List<Object> stack = new ArrayList<>();
        boolean needValue = true;
        while (true) {
            if (needValue) {
                skipWhitespace();
                if (pos == b.length) {
                    return error("unexpected end of input: a value is missing");
                }
                byte c = b[pos];
                if (c == '{' || c == '[') {
                    if (stack.size() == MAX_DEPTH) {
                        return error("nesting deeper than " + MAX_DEPTH + " levels");
                    }
                    pos++;
                    stack.add(c == '{' ? new HashSet<String>() : ARRAY);
                    skipWhitespace();
                    if (pos < b.length && b[pos] == (c == '{' ? '}' : ']')) {
                        pos++;
                        stack.remove(stack.size() - 1);
                        needValue = false;
                        continue;
                    }
                    if (c == '{') {
                        String keyError = key(stack);
                        if (keyError != null) {
                            return keyError;
                        }
                    }
                    continue;
                }
                String error = c == '"' ? string(null) : c == '-' || (c >= '0' && c <= '9') ? number()
                        : c == 't' ? literal("true") : c == 'f' ? literal("false") : c == 'n' ? literal("null")
                        : error("unexpected " + describe(c) + ": a value must be an object, array, string, number, "
                                + "true, false or null");
                if (error != null) {
                    return error;
                }
                needValue = false;
                continue;
            }
            if (stack.isEmpty()) {
                return null;
            }
            Object top = stack.get(stack.size() - 1);
            skipWhitespace();
            if (pos == b.length) {
                return error("unexpected end of input inside " + (top == ARRAY ? "an array" : "an object"));
            }
            byte c = b[pos];
            if (c == ',') {
                pos++;
                if (top != ARRAY) {
                    String keyError = key(stack);
                    if (keyError != null) {
                        return keyError;
                    }
                }
                needValue = true;
            } else if (c == (top == ARRAY ? ']' : '}')) {
                pos++;
                stack.remove(stack.size() - 1);
            } else {
                return error("expected ',' or '" + (top == ARRAY ? ']' : '}') + "' but found " + describe(c));
            }
        }
    }

    /** An object's key and its colon; refuses a key the object already has. */
    @SuppressWarnings("unchecked")
    private String key(List<Object> stack) {
        skipWhitespace();
        if (pos == b.length) {
            return error("unexpected end of input: an object key is missing");
        }
        if (b[pos] != '"') {
            return error("expected a string key in double quotes but found " + describe(b[pos]));
        }
        int keyLine = line;
        int keyColumn = pos - lineStart + 1;
        StringBuilder name = new StringBuilder();
        String error = string(name);
        if (error != null) {
            return error;
        }
        Set<String> keys = (Set<String>) stack.get(stack.size() - 1);
        if (!keys.add(name.toString())) {
            return "invalid JSON at line " + keyLine + ", column " + keyColumn + ": duplicate key \""
                    + name + "\" in one object";
        }
        skipWhitespace();
        if (pos == b.length || b[pos] != ':') {
            return error(pos == b.length ? "unexpected end of input: ':' is missing after a key"
                    : "expected ':' after a key but found " + describe(b[pos]));
        }
        pos++;
        return null;
    }

    /** A string from its opening quote; its decoded text goes to {@code text} when given (keys). */
    private String string(StringBuilder text) {
        int start = ++pos;
        while (pos < b.length) {
            byte c = b[pos];
            if (c == '"') {
                if (text != null) {
                    decode(start, pos, text);
                }
                pos++;
                return null;
            }
            if ((c & 0xFF) < 0x20) {
                return error("a control character (byte 0x" + String.format("%02x", c) + ") inside a string; "
                        + "escape it (\\n, \\t, \\u00XX)");
            }
            if (c == '\\') {
                if (pos + 1 == b.length) {
                    break;
                }
                byte e = b[pos + 1];
                if (e == 'u') {
                    for (int i = 2; i < 6; i++) {
                        if (pos + i >= b.length || Character.digit(b[pos + i], 16) < 0) {
                            return error("\\u must be followed by four hex digits");
                        }
                    }
                    pos += 6;
                    continue;
                }
                if ("\"\\/bfnrt".indexOf(e) < 0) {
                    return error("unknown escape \\" + (char) (e & 0xFF) + " in a string");
                }
                pos += 2;
                continue;
            }
            pos++;
        }
        return error("unexpected end of input inside a string (a closing '\"' is missing)");
    }

    /** The text of a validated string's content b[from, to). */
    private void decode(int from, int to, StringBuilder text) {
        int i = from;
        int plain = from;
        while (i < to) {
            if (b[i] != '\\') {
                i++;
                continue;
            }
            text.append(new String(b, plain, i - plain, StandardCharsets.UTF_8));
            byte e = b[i + 1];
            if (e == 'u') {
                text.append((char) Integer.parseInt(new String(b, i + 2, 4, StandardCharsets.US_ASCII), 16));
                i += 6;
            } else {
                text.append(e == 'b' ? '\b' : e == 'f' ? '\f' : e == 'n' ? '\n' : e == 'r' ? '\r'
                        : e == 't' ? '\t' : (char) e);
                i += 2;
            }
            plain = i;
        }
        text.append(new String(b, plain, to - plain, StandardCharsets.UTF_8));
    }

    /** RFC 8259 section 6: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
    private String number() {
        if (b[pos] == '-') {
            pos++;
        }
        if (pos == b.length || !digit(b[pos])) {
            return error("a number needs a digit here");
        }
        if (b[pos] == '0') {
            pos++;
            if (pos < b.length && digit(b[pos])) {
                return error("a number must not have leading zeros");
            }
        } else {
            skipDigits();
        }
        if (pos < b.length && b[pos] == '.') {
            pos++;
            if (pos == b.length || !digit(b[pos])) {
                return error("a number needs a digit after its '.'");
            }
            skipDigits();
        }
        if (pos < b.length && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            if (pos < b.length && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            if (pos == b.length || !digit(b[pos])) {
                return error("a number needs a digit in its exponent");
            }
            skipDigits();
        }
        if (pos < b.length && (Character.isLetter(b[pos]) || b[pos] == '.')) {
            return error("unexpected " + describe(b[pos]) + " in a number");
        }
        return null;
    }

    private String literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (pos + i >= b.length || b[pos + i] != word.charAt(i)) {
                return error("unexpected " + describe(b[pos]) + ": not true, false or null");
            }
        }
        pos += word.length();
        if (pos < b.length && Character.isLetterOrDigit(b[pos])) {
            return error("unexpected " + describe(b[pos]) + " after " + word);
        }
        return null;
    }

    private void skipDigits() {
        while (pos < b.length && digit(b[pos])) {
            pos++;
        }
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private void skipWhitespace() {
        while (pos < b.length) {
            byte c = b[pos];
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String error(String what) {
        return "invalid JSON at " + where() + ": " + what;
    }

    private String where() {
        return "line " + line + ", column " + (pos - lineStart + 1);
    }

    private static String describe(byte c) {
        return c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("byte 0x%02x", c & 0xFF);
    }
}
