package io.aura.cli.ripser;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a {@code float} exactly as C's {@code printf("%.6g", (double) x)} (glibc), which is
 * what C++ {@code ostream << float} prints by default.
 *
 * <ul>
 *   <li>6 significant digits, rounded half-to-even on the exact binary value;
 *   <li>exponent form when the decimal exponent X of the rounded value is {@code X < -4} or
 *       {@code X >= 6}, written {@code e-05}, {@code e+06} (sign and at least two digits);
 *   <li>trailing zeros and a trailing {@code .} removed;
 *   <li>{@code 0} and {@code -0} for the zeros, {@code inf}, {@code -inf}, {@code nan} and
 *       {@code -nan} (the sign bit of a NaN is kept, as glibc prints it).
 * </ul>
 *
 * <p>Java's {@code String.format("%g")} differs (it never strips zeros and rounds half-up), so the
 * digits come from {@link BigDecimal}, which represents the double exactly.
 */
public final class CFloatFormat {
    private static final MathContext SIX = new MathContext(6, RoundingMode.HALF_EVEN);

    private CFloatFormat() {
    }

    /** {@code printf("%.6g", (double) x)}. */
    public static String format(float x) {
        StringBuilder sb = new StringBuilder(16);
        appendTo(sb, x);
        return sb.toString();
    }

    /** Appends {@code printf("%.6g", (double) x)} to {@code sb}. */
    public static void appendTo(StringBuilder sb, float x) {
        int bits = Float.floatToRawIntBits(x);
        boolean negative = bits < 0;
        if (Float.isNaN(x)) {
            sb.append(negative ? "-nan" : "nan");
            return;
        }
        if (negative) {
            sb.append('-');
        }
        if (Float.isInfinite(x)) {
            sb.append("inf");
            return;
        }
        if (x == 0f) {
            sb.append('0');
            return;
        }
        // small integers are common in practice: exact and no rounding needed
        float abs = Math.abs(x);
        if (abs < 1_000_000f && abs == (int) abs) {
            sb.append((int) abs);
            return;
        }
        BigDecimal rounded = new BigDecimal((double) abs).round(SIX);
        String digits = rounded.unscaledValue().toString();
        int exponent = digits.length() - 1 - rounded.scale();
        // strip trailing zeros of the significand (they would be removed from the output anyway)
        int len = digits.length();
        while (len > 1 && digits.charAt(len - 1) == '0') {
            len--;
        }
        if (exponent < -4 || exponent >= 6) {
            sb.append(digits.charAt(0));
            if (len > 1) {
                sb.append('.').append(digits, 1, len);
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int e = Math.abs(exponent);
            if (e < 10) {
                sb.append('0');
            }
            sb.append(e);
        } else if (exponent >= 0) {
            // integer part: the first exponent+1 digits (padded with zeros)
            for (int i = 0; i <= exponent; i++) {
                sb.append(i < len ? digits.charAt(i) : '0');
            }
            if (len > exponent + 1) {
                sb.append('.').append(digits, exponent + 1, len);
            }
        } else {
            sb.append("0.");
            for (int i = -1; i > exponent; i--) {
                sb.append('0');
            }
            sb.append(digits, 0, len);
        }
    }
}
