package io.aura.cascade.sim;

import io.aura.cascade.random.SplitMix64;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class EventQueueTest {
  record Ev(long time, int prio, long seq, long a) {}

  /** Differential test against a sort of (time, priority, insertion order), with interleaved pops. */
  @Property(tries = 200)
  void popsInTimePrioritySeqOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int count) {
    SplitMix64 rng = new SplitMix64(seed);
    EventQueue q = new EventQueue();
    List<Ev> ref = new ArrayList<>();
    long seq = 0;
    long lastTime = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      long base = Math.max(0, lastTime);
      long time = base + rng.nextInt(20);
      int prio = rng.nextInt(4);
      q.push(time, prio, seq, -seq);
      ref.add(new Ev(time, prio, seq, seq));
      seq++;
      if (rng.nextInt(3) == 0) {
        ref.sort(Comparator.comparingLong(Ev::time).thenComparingInt(Ev::prio).thenComparingLong(Ev::seq));
        Ev want = ref.remove(0);
        q.pop();
        assertThat(q.time()).isEqualTo(want.time());
        assertThat(q.priority()).isEqualTo(want.prio());
        assertThat(q.a()).isEqualTo(want.a());
        assertThat(q.b()).isEqualTo(-want.a());
        lastTime = want.time();
      }
    }
    ref.sort(Comparator.comparingLong(Ev::time).thenComparingInt(Ev::prio).thenComparingLong(Ev::seq));
    for (Ev want : ref) {
      q.pop();
      assertThat(q.time()).isEqualTo(want.time());
      assertThat(q.a()).isEqualTo(want.a());
    }
    assertThat(q.isEmpty()).isTrue();
  }
}
