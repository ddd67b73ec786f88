package io.aura.cli.ripser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** std::stol / std::stof with Ripser's whole-string check, checked against glibc's strtof. */
class CStringNumbersTest {

    @Test
    void stolLikeC() {
        assertThat(CStringNumbers.stol("2")).isEqualTo(2L);
        assertThat(CStringNumbers.stol(" 2")).isEqualTo(2L);
        assertThat(CStringNumbers.stol("+3")).isEqualTo(3L);
        assertThat(CStringNumbers.stol("-1")).isEqualTo(-1L);
        assertThat(CStringNumbers.stol("2 ")).isNull();
        assertThat(CStringNumbers.stol("0x10")).isNull();
        assertThat(CStringNumbers.stol("")).isNull();
        assertThat(CStringNumbers.stol("-")).isNull();
        assertThat(CStringNumbers.stol("1.0")).isNull();
        assertThat(CStringNumbers.stol("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(CStringNumbers.stol("9223372036854775808")).isNull();
    }

    @Test
    void stofDecimalAndExponentForms() {
        assertThat(CStringNumbers.stof("1.5")).isEqualTo(1.5f);
        assertThat(CStringNumbers.stof(" +1.5e0")).isEqualTo(1.5f);
        assertThat(CStringNumbers.stof(".5")).isEqualTo(0.5f);
        assertThat(CStringNumbers.stof("5.")).isEqualTo(5f);
        assertThat(CStringNumbers.stof("-.5e1")).isEqualTo(-5f);
        assertThat(CStringNumbers.stof("75e-2")).isEqualTo(0.75f);
        assertThat(CStringNumbers.stof("0.1")).isEqualTo(0.1f);
        assertThat(CStringNumbers.stof("1e")).isNull(); // strtof stops before "e": trailing text
        assertThat(CStringNumbers.stof("1e+")).isNull();
        assertThat(CStringNumbers.stof("2 ")).isNull();
        assertThat(CStringNumbers.stof("")).isNull();
        assertThat(CStringNumbers.stof(".")).isNull();
        assertThat(CStringNumbers.stof("abc")).isNull();
    }

    @Test
    void stofSpecialAndHexFormsAsGlibc() {
        assertThat(CStringNumbers.stof("inf")).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(CStringNumbers.stof("INFINITY")).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(CStringNumbers.stof("-Inf")).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(CStringNumbers.stof("infx")).isNull();
        assertThat(CStringNumbers.stof("nan")).isNaN();
        assertThat(CStringNumbers.stof("nan(abc)")).isNaN();
        assertThat(CStringNumbers.stof("nan(")).isNull();
        assertThat(CStringNumbers.stof("0x1.8p1")).isEqualTo(3f);
        assertThat(CStringNumbers.stof("0x.8")).isEqualTo(0.5f);
        assertThat(CStringNumbers.stof("0X10")).isEqualTo(16f);
        assertThat(CStringNumbers.stof("0x")).isNull(); // strtof reads "0", "x" is left over
        assertThat(CStringNumbers.stof("0x1p-149")).isEqualTo(Float.MIN_VALUE); // exact: no ERANGE
    }

    @Test
    void stofRangeErrorsAsGlibcErange() {
        assertThat(CStringNumbers.stof("1e39")).isNull();
        assertThat(CStringNumbers.stof("1e-50")).isNull();
        assertThat(CStringNumbers.stof("1e-40")).isNull(); // subnormal and inexact
        assertThat(CStringNumbers.stof("1.1754942e-38")).isNull();
        assertThat(CStringNumbers.stof("1.17549435e-38")).isEqualTo(Float.MIN_NORMAL);
        assertThat(CStringNumbers.stof("0e-999")).isEqualTo(0f);
        assertThat(CStringNumbers.stof("0x1.8p-149")).isNull();
        assertThat(CStringNumbers.stof("1e-99999999999")).isNull();
        assertThat(CStringNumbers.stof("3.4028235e38")).isEqualTo(Float.MAX_VALUE);
    }
}
