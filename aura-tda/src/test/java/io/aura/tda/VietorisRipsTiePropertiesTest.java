package io.aura.tda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * jqwik properties on small-integer distances, where almost every diameter ties and the filtration
 * order decides everything: the engine must give the reference's multisets. Fixed seeds make the
 * runs reproducible; on a failure jqwik shrinks toward the smallest matrix and prints it.
 */
class VietorisRipsTiePropertiesTest {

    @Provide
    Arbitrary<Integer> moduli() {
        return Arbitraries.of(2, 3, 5);
    }

    /** Dense matrices with entries in 0..3 (zero = coincident points), threshold none or 1..3. */
    @Property(seed = "20261125", tries = 300)
    void denseIntegerMatricesAgree(@ForAll @IntRange(min = 3, max = 12) int n,
            @ForAll @Size(66) List<@IntRange(min = 0, max = 3) Integer> values,
            @ForAll @IntRange(min = 1, max = 3) int maxDimension, @ForAll("moduli") int modulus,
            @ForAll @IntRange(min = 0, max = 3) int threshold) {
        float[] lower = new float[n * (n - 1) / 2];
        for (int k = 0; k < lower.length; k++) {
            lower[k] = values.get(k);
        }
        DistanceMatrix m = DistanceMatrix.ofLowerTriangle(lower);
        RipsOptions.Builder b = RipsOptions.builder().maxDimension(maxDimension).modulus(modulus);
        if (threshold > 0) {
            b.threshold(threshold);
        }
        RipsOptions o = b.build();
        assertThat(Barcodes.canonical(VietorisRips.compute(m, o)))
                .as("lower triangle %s, %s", java.util.Arrays.toString(lower), o)
                .isEqualTo(Barcodes.canonical(ReferencePersistence.of(m, o)));
    }

    /** Sparse matrices with entries in 0..3 and missing entries (-1), with and without a threshold. */
    @Property(seed = "777", tries = 300)
    void sparseIntegerMatricesWithMissingEntriesAgree(@ForAll @IntRange(min = 3, max = 12) int n,
            @ForAll @Size(66) List<@IntRange(min = -1, max = 3) Integer> values,
            @ForAll @IntRange(min = 1, max = 3) int maxDimension, @ForAll("moduli") int modulus,
            @ForAll @IntRange(min = 0, max = 3) int threshold) {
        SparseDistanceMatrix.Builder sb = SparseDistanceMatrix.builder(n);
        StringBuilder description = new StringBuilder();
        for (int i = 1, k = 0; i < n; i++) {
            for (int j = 0; j < i; j++, k++) {
                if (values.get(k) >= 0) {
                    sb.add(i, j, values.get(k));
                    description.append(' ').append(i).append('-').append(j).append(':').append(values.get(k));
                }
            }
        }
        SparseDistanceMatrix s = sb.build();
        RipsOptions.Builder b = RipsOptions.builder().maxDimension(maxDimension).modulus(modulus);
        if (threshold > 0) {
            b.threshold(threshold);
        }
        RipsOptions o = b.build();
        assertThat(Barcodes.canonical(VietorisRips.compute(s, o)))
                .as("%d points, edges%s, %s", n, description, o)
                .isEqualTo(Barcodes.canonical(ReferencePersistence.of(s, o)));
    }
}
