package io.aura.cli.ripser;

import java.nio.charset.StandardCharsets;

/**
 * Reads numbers from a byte buffer the way C++ {@code istream >> float} and
 * {@code istream >> size_t} do in libstdc++ with the "C" locale, so that the readers can
 * reproduce Ripser's input handling exactly.
 *
 * <p>libstdc++ first skips white space ({@code ' ', \t, \n, \v, \f, \r}), then collects the longest
 * run of characters that fits {@code [+-]? digits [. digits] [(e|E) [+-]? digits]} (one decimal
 * point, an exponent only after a mantissa digit, a sign only at the start and right after the
 * exponent letter), and converts the collected text with {@code strtof}. The conversion fails when
 * the text is not a complete number ({@code "-"}, {@code "."}, {@code "1e"}, {@code "1e+"}) or
 * overflows the float range. {@code inf}, {@code nan} and hexadecimal numbers are not accepted; a
 * hexadecimal {@code 0x10} reads as {@code 0} followed by {@code x10}.
 *
 * <p>The scanner works on a window {@code [pos, limit)} of the buffer; line-based readers move the
 * window line by line (the text of {@code std::getline}, without the {@code '\n'}).
 */
final class CTextScanner {
    /** Result of {@link #readFloat()} / {@link #readIndex()}. */
    enum Status { OK, NOT_A_NUMBER, OUT_OF_RANGE }

    private final byte[] buf;
    private final int size;
    int pos;
    int limit;
    /** Start of the text of the last number read (for messages). */
    int tokenStart;
    float floatValue;
    long indexValue;

    CTextScanner(byte[] buf, int size) {
        this.buf = buf;
        this.size = size;
        this.limit = size;
    }

    static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** Skips white space in the window; returns whether a character remains. */
    boolean skipSpace() {
        while (pos < limit && isSpace(buf[pos])) {
            pos++;
        }
        return pos < limit;
    }

    /** {@code istream::ignore()}: skips one character, whatever it is. */
    void ignoreOne() {
        if (pos < limit) {
            pos++;
        }
    }

    /**
     * Sets the window to the next line ({@code std::getline}) starting at {@code from}; returns
     * false when there is no further line. The position after the line is {@link #nextLineStart()}.
     */
    boolean line(int from) {
        if (from >= size) {
            return false;
        }
        int nl = from;
        while (nl < size && buf[nl] != '\n') {
            nl++;
        }
        pos = from;
        limit = nl;
        return true;
    }

    int nextLineStart() {
        return limit + 1;
    }

    /**
     * {@code >> float}: skips white space, collects the accepted text and converts it. On
     * {@link Status#OK} the value is in {@link #floatValue} and the position is after the text.
     */
    Status readFloat() {
        skipSpace();
        int p = pos;
        tokenStart = p;
        if (p < limit && (buf[p] == '+' || buf[p] == '-')) {
            p++;
        }
        int mantissaDigits = 0;
        boolean dot = false;
        while (p < limit) {
            int c = buf[p];
            if (c >= '0' && c <= '9') {
                mantissaDigits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
            p++;
        }
        boolean complete = mantissaDigits > 0;
        if (complete && p < limit && (buf[p] == 'e' || buf[p] == 'E')) {
            p++;
            if (p < limit && (buf[p] == '+' || buf[p] == '-')) {
                p++;
            }
            int expDigits = 0;
            while (p < limit && buf[p] >= '0' && buf[p] <= '9') {
                p++;
                expDigits++;
            }
            complete = expDigits > 0;
        }
        pos = p;
        if (!complete) {
            return Status.NOT_A_NUMBER;
        }
        float v = Float.parseFloat(new String(buf, tokenStart, p - tokenStart, StandardCharsets.ISO_8859_1));
        if (Float.isInfinite(v)) {
            return Status.OUT_OF_RANGE;
        }
        floatValue = v;
        return Status.OK;
    }

    /**
     * {@code >> size_t}: skips white space, reads {@code [+-]? digits}. A minus sign is reported as
     * {@link Status#OUT_OF_RANGE} (libstdc++ would wrap it around to a huge index).
     */
    Status readIndex(long max) {
        skipSpace();
        int p = pos;
        tokenStart = p;
        boolean minus = false;
        if (p < limit && (buf[p] == '+' || buf[p] == '-')) {
            minus = buf[p] == '-';
            p++;
        }
        long v = 0;
        int digits = 0;
        boolean overflow = false;
        while (p < limit && buf[p] >= '0' && buf[p] <= '9') {
            v = v * 10 + (buf[p] - '0');
            if (v > max) {
                overflow = true;
                v = max;
            }
            digits++;
            p++;
        }
        pos = p;
        if (digits == 0) {
            return Status.NOT_A_NUMBER;
        }
        if (overflow || (minus && v != 0)) {
            return Status.OUT_OF_RANGE;
        }
        indexValue = v;
        return Status.OK;
    }

    /** The text of the token at {@link #tokenStart} (up to the next white space, at most 40 chars). */
    String token() {
        int e = tokenStart;
        while (e < limit && !isSpace(buf[e]) && e - tokenStart < 40) {
            e++;
        }
        if (e == tokenStart) {
            return "";
        }
        return new String(buf, tokenStart, e - tokenStart, StandardCharsets.ISO_8859_1);
    }

    /** "line L, column C" of a byte offset (1-based; a column counts bytes). */
    String where(int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < size; i++) {
            if (buf[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (offset - lineStart + 1);
    }
}
