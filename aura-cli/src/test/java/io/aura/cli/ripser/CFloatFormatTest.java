package io.aura.cli.ripser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link CFloatFormat} against a table of glibc {@code printf("%.6g", (double) f)} outputs
 * ({@code cfloat/printf-6g.tsv}: float bits in hex, tab, the C output), generated once by a
 * throwaway C program outside the repository: specials, powers of 2 and 10 and their neighbours,
 * exact ties at the 7th digit, the fixed/exponent boundaries, random bit patterns, typical values.
 */
class CFloatFormatTest {

    record Row(int bits, String expected) {
    }

    static List<Row> table() {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = CFloatFormatTest.class.getResourceAsStream("/cfloat/printf-6g.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] f = line.split("\t");
                rows.add(new Row(Integer.parseUnsignedInt(f[0], 16), f[1]));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return rows;
    }

    @Test
    void matchesEveryRowOfTheGlibcTable() {
        List<Row> rows = table();
        assertThat(rows).hasSizeGreaterThan(6000);
        List<String> wrong = new ArrayList<>();
        for (Row r : rows) {
            String got = CFloatFormat.format(Float.intBitsToFloat(r.bits()));
            if (!got.equals(r.expected())) {
                wrong.add(Integer.toHexString(r.bits()) + ": expected " + r.expected() + " got " + got);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void examplesFromTheContract() {
        assertThat(CFloatFormat.format(1f)).isEqualTo("1");
        assertThat(CFloatFormat.format((float) Math.sqrt(2))).isEqualTo("1.41421");
        assertThat(CFloatFormat.format(0.000196958f)).isEqualTo("0.000196958");
        assertThat(CFloatFormat.format(8.61149e-05f)).isEqualTo("8.61149e-05");
        assertThat(CFloatFormat.format(1e6f)).isEqualTo("1e+06");
        assertThat(CFloatFormat.format(999999.5f)).isEqualTo("1e+06");
        assertThat(CFloatFormat.format(100000.5f)).isEqualTo("100000");
        assertThat(CFloatFormat.format(100001.5f)).isEqualTo("100002");
        assertThat(CFloatFormat.format(1234565f)).isEqualTo("1.23456e+06");
        assertThat(CFloatFormat.format(0f)).isEqualTo("0");
        assertThat(CFloatFormat.format(-0f)).isEqualTo("-0");
        assertThat(CFloatFormat.format(Float.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(CFloatFormat.format(Float.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(CFloatFormat.format(Float.NaN)).isEqualTo("nan");
        assertThat(CFloatFormat.format(Float.intBitsToFloat(0xffc00000))).isEqualTo("-nan");
        assertThat(CFloatFormat.format(Float.MIN_VALUE)).isEqualTo("1.4013e-45");
        assertThat(CFloatFormat.format(Float.MAX_VALUE)).isEqualTo("3.40282e+38");
    }

    @Provide
    Arbitrary<Row> tableRows() {
        return Arbitraries.of(table());
    }

    @Property(tries = 2000)
    void tableRowsViaJqwik(@ForAll("tableRows") Row r) {
        assertThat(CFloatFormat.format(Float.intBitsToFloat(r.bits()))).isEqualTo(r.expected());
    }

    /** For any finite float: the value printed is x rounded to 6 digits, in the C layout. */
    @Property(tries = 5000)
    void anyFiniteFloatPrintsItsSixDigitRounding(@ForAll int bits) {
        float x = Float.intBitsToFloat(bits);
        if (!Float.isFinite(x) || x == 0f) {
            return;
        }
        String s = CFloatFormat.format(x);
        BigDecimal expected = new BigDecimal((double) x).round(new MathContext(6, RoundingMode.HALF_EVEN));
        assertThat(new BigDecimal(s.replace("e+", "e"))).isEqualByComparingTo(expected);
        int exponent = expected.precision() - 1 - expected.scale();
        assertThat(s.contains("e")).isEqualTo(exponent < -4 || exponent >= 6);
        String mantissa = s.contains("e") ? s.substring(0, s.indexOf('e')) : s;
        if (mantissa.contains(".")) {
            assertThat(mantissa).doesNotEndWith("0").doesNotEndWith(".");
        }
        if (s.contains("e")) {
            assertThat(s).matches("-?[1-9](\\.[0-9]*[1-9])?e[+-][0-9]{2}");
        }
    }
}
