package io.aura.cli.ripser;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/**
 * C++ {@code std::stol} and {@code std::stof} with Ripser's whole-string check
 * ({@code next_pos == size}). Both return null where Ripser prints its usage text (trailing
 * characters) or where {@code std::stol}/{@code std::stof} throw (no number, out of range).
 *
 * <p>{@code stof} is glibc's {@code strtof}: leading white space, a sign, then a decimal number
 * (an incomplete exponent such as {@code 1e} is not part of it), a hexadecimal number
 * {@code 0x1.8p1}, {@code inf}/{@code infinity} or {@code nan}/{@code nan(chars)}, all case
 * insensitive. Out of range (ERANGE, so {@code std::stof} throws) is an overflow to infinity or
 * an inexact result below the smallest normal float.
 */
final class CStringNumbers {
    private CStringNumbers() {
    }

    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** {@code std::stol(s, &pos, 10)} with {@code pos == s.size()}, or null. */
    static Long stol(String s) {
        int p = 0;
        int n = s.length();
        while (p < n && isSpace(s.charAt(p))) {
            p++;
        }
        boolean minus = false;
        if (p < n && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
            minus = s.charAt(p) == '-';
            p++;
        }
        int start = p;
        while (p < n && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            p++;
        }
        if (p == start || p != n) {
            return null;
        }
        BigInteger v = new BigInteger(s.substring(start, p));
        if (minus) {
            v = v.negate();
        }
        return v.bitLength() < 64 ? v.longValue() : null;
    }

    /** {@code std::stof(s, &pos)} with {@code pos == s.size()}, or null. */
    static Float stof(String s) {
        int n = s.length();
        int p = 0;
        while (p < n && isSpace(s.charAt(p))) {
            p++;
        }
        boolean minus = false;
        if (p < n && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
            minus = s.charAt(p) == '-';
            p++;
        }
        String rest = s.substring(p).toLowerCase(Locale.ROOT);
        if (rest.startsWith("inf")) {
            return rest.equals("inf") || rest.equals("infinity")
                    ? (minus ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY) : null;
        }
        if (rest.startsWith("nan")) {
            return rest.equals("nan") || rest.matches("nan\\([0-9a-z_]*\\)") ? Float.NaN : null;
        }
        if (rest.startsWith("0x") && rest.length() > 2 && isHexMantissaStart(rest, 2)) {
            return hex(rest, minus);
        }
        // decimal: digits [. digits] [e [sign] digits], at least one mantissa digit
        int q = 0;
        int digits = 0;
        while (q < rest.length() && Character.isDigit(rest.charAt(q)) && rest.charAt(q) < 128) {
            q++;
            digits++;
        }
        if (q < rest.length() && rest.charAt(q) == '.') {
            q++;
            while (q < rest.length() && rest.charAt(q) >= '0' && rest.charAt(q) <= '9') {
                q++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        if (q < rest.length() && rest.charAt(q) == 'e') {
            int e = q + 1;
            if (e < rest.length() && (rest.charAt(e) == '+' || rest.charAt(e) == '-')) {
                e++;
            }
            int es = e;
            while (e < rest.length() && rest.charAt(e) >= '0' && rest.charAt(e) <= '9') {
                e++;
            }
            if (e > es) {
                q = e;
            }
        }
        if (q != rest.length()) {
            return null;
        }
        String text = rest.startsWith(".") ? "0" + rest : rest;
        float f = Float.parseFloat(text);
        boolean nonZero = text.substring(0, text.contains("e") ? text.indexOf('e') : text.length()).matches(".*[1-9].*");
        return checkRange(minus ? -f : f, nonZero, () -> {
            try {
                return new BigDecimal(text.endsWith(".") ? text + "0" : text).compareTo(new BigDecimal(f)) == 0;
            } catch (NumberFormatException | ArithmeticException e) {
                return false; // an exponent beyond BigDecimal's range: far from representable
            }
        });
    }

    private static boolean isHexMantissaStart(String r, int i) {
        return isHex(r, i) || (r.charAt(i) == '.' && isHex(r, i + 1));
    }

    private static boolean isHex(String r, int i) {
        return i < r.length() && Character.digit(r.charAt(i), 16) >= 0 && r.charAt(i) < 128;
    }

    private static Float hex(String r, boolean minus) {
        int q = 2;
        StringBuilder mant = new StringBuilder();
        int fractionDigits = 0;
        while (isHex(r, q)) {
            mant.append(r.charAt(q++));
        }
        if (q < r.length() && r.charAt(q) == '.') {
            q++;
            while (isHex(r, q)) {
                mant.append(r.charAt(q++));
                fractionDigits++;
            }
        }
        long exp = 0;
        if (q < r.length() && r.charAt(q) == 'p') {
            int e = q + 1;
            boolean eneg = false;
            if (e < r.length() && (r.charAt(e) == '+' || r.charAt(e) == '-')) {
                eneg = r.charAt(e) == '-';
                e++;
            }
            int es = e;
            while (e < r.length() && r.charAt(e) >= '0' && r.charAt(e) <= '9') {
                e++;
            }
            if (e > es) {
                String ds = r.substring(es, e);
                exp = ds.length() > 9 ? 999_999_999L : Long.parseLong(ds);
                if (eneg) {
                    exp = -exp;
                }
                q = e;
            }
        }
        if (q != r.length()) {
            return null;
        }
        BigInteger m = new BigInteger(mant.toString(), 16);
        long e2 = exp - 4L * fractionDigits;
        if (m.signum() == 0) {
            return minus ? -0f : 0f;
        }
        // exact value m * 2^e2; round to float via BigDecimal (exact) then Float.parseFloat of the
        // plain decimal string is correctly rounded. Guard huge exponents first.
        long bits = m.bitLength() + e2;
        if (bits > 130) {
            return null; // overflow: ERANGE
        }
        if (bits < -160) {
            return null; // underflow to zero, inexact: ERANGE
        }
        BigDecimal exact = e2 >= 0 ? new BigDecimal(m.shiftLeft((int) e2))
                : new BigDecimal(m).divide(new BigDecimal(BigInteger.TWO.pow((int) -e2)));
        float f = Float.parseFloat(exact.toString());
        return checkRange(minus ? -f : f, true, () -> exact.compareTo(new BigDecimal(f)) == 0);
    }

    private static Float checkRange(float f, boolean nonZeroLiteral, java.util.function.BooleanSupplier exact) {
        if (Float.isInfinite(f)) {
            return null;
        }
        if (nonZeroLiteral && Math.abs(f) < Float.MIN_NORMAL && !exact.getAsBoolean()) {
            return null;
        }
        return f;
    }
}
