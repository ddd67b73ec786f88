package io.aura.cascade.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.CascadeInputException;
import org.junit.jupiter.api.Test;

/** Expected values computed independently with a Python reference of spec 1.1 (arbitrary-precision ints). */
class SplitMix64Test {
    @Test
    void nextMatchesReference() {
        SplitMix64 r = new SplitMix64(0);
        assertThat(r.next()).isEqualTo(-2152535657050944081L); // 0xE220A8397B1DCDAF
        assertThat(r.next()).isEqualTo(7960286522194355700L);
        assertThat(r.next()).isEqualTo(487617019471545679L);
        SplitMix64 s = new SplitMix64(42);
        assertThat(s.next()).isEqualTo(-4767286540954276203L);
        assertThat(s.next()).isEqualTo(2949826092126892291L);
    }

    @Test
    void uniformAndIndexMatchReference() {
        SplitMix64 r = new SplitMix64(7);
        assertThat(r.nextDouble()).isEqualTo(0.3898297483912715);
        assertThat(r.nextDouble()).isEqualTo(0.01678829452815611);
        int[] idx = new int[5];
        for (int i = 0; i < 5; i++) {
            idx[i] = r.nextInt(10);
        }
        assertThat(idx).containsExactly(9, 5, 4, 2, 4);
    }

    @Test
    void fnv1a64MatchesReference() {
        assertThat(SplitMix64.fnv1a64("")).isEqualTo(-3750763034362895579L); // 0xcbf29ce484222325
        assertThat(SplitMix64.fnv1a64("a")).isEqualTo(-5808556873153909620L); // 0xaf63dc4c8601ec8c
        assertThat(SplitMix64.fnv1a64("graph")).isEqualTo(3669475100274348679L);
        assertThat(SplitMix64.fnv1a64("traffic/nginx")).isEqualTo(5199989142186043629L);
        assertThat(SplitMix64.fnv1a64("\u00e9")).isEqualTo(775207407765167617L); // two UTF-8 bytes
    }

    @Test
    void streamSeedsMatchReference() {
        assertThat(Streams.streamSeed(42, "graph")).isEqualTo(9080162406512952710L);
        assertThat(Streams.streamSeed(1, "fault")).isEqualTo(8421117494916619842L);
        assertThat(new Streams(42).graph().next())
                .isEqualTo(new SplitMix64(9080162406512952710L).next());
        assertThat(new Streams(3).traffic("a").next()).isEqualTo(new Streams(3).stream("traffic/a").next());
    }

    @Test
    void badBoundIsRejectedWithTheValue() {
        assertThatThrownBy(() -> new SplitMix64(1).nextInt(0))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("0");
    }
}
