package io.aura.tda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A computation stops when its thread is interrupted (a caller that gave up on it), on the
 * sequential and the parallel paths, instead of running to its end. The input would take minutes:
 * 900 random points in 8 dimensions up to H2.
 */
class VietorisRipsCancellationTest {

    static PointCloud heavy() {
        Random rnd = new Random(42);
        float[][] p = new float[900][8];
        for (float[] row : p) {
            for (int d = 0; d < row.length; d++) {
                row[d] = rnd.nextFloat();
            }
        }
        return PointCloud.of(p);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void anInterruptedComputationStopsWithCancellation(int threads) throws Exception {
        PointCloud cloud = heavy();
        RipsOptions options = RipsOptions.builder().maxDimension(2).threads(threads).build();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                VietorisRips.compute(cloud, options);
            } catch (Throwable e) {
                thrown.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        Thread.sleep(500); // well into the computation
        assertThat(t.isAlive()).as("still computing after 0.5 s").isTrue();
        long t0 = System.nanoTime();
        t.interrupt();
        t.join(20_000);
        assertThat(t.isAlive()).as("stopped within 20 s of the interrupt").isFalse();
        System.out.printf("threads=%d: stopped %.0f ms after the interrupt%n", threads, (System.nanoTime() - t0) / 1e6);
        assertThat(thrown.get()).isInstanceOf(CancellationException.class);
        assertThat(flagKept.get()).as("the interrupt flag stays set").isTrue();
    }

    @Test
    void anAlreadyInterruptedThreadDoesNotStart() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> VietorisRips.compute(heavy(), RipsOptions.builder().maxDimension(2).build()))
                    .isInstanceOf(CancellationException.class);
        } finally {
            assertThat(Thread.interrupted()).isTrue(); // and clears it for the next test
        }
    }
}
