package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * ClusterCounters with hand-made replicas: the sums are the replicas' totals, a replica that misses a
 * tick or sends garbage holds its counts still instead of leaving the sums and coming back as a burst
 * (the review's reproduction, 2026-11-29), and the leader's merged counters are used once each.
 */
class ClusterCountersTest {

    private static byte[] replica(long cumulativeCalls) {
        Bus.AgentCounters x = new Bus.AgentCounters("x");
        x.callsIn.add(cumulativeCalls);
        return ClusterCounters.snapshot(List.of(x), List.of(), 0);
    }

    @Test
    void theSumsAreTheReplicasTotals() {
        ClusterCounters cc = new ClusterCounters(() -> replica(100), () -> null,
                () -> Map.of("b", replica(1_000), "c", replica(10_000)), System::nanoTime, 10_000);
        assertThat(cc.refresh()).isTrue();
        assertThat(cc.agents()).singleElement().satisfies(a -> assertThat(a.callsIn.sum()).isEqualTo(11_100));
        assertThat(cc.merged()).as("the leader's merged counters, for the others").isNotNull();
    }

    @Test
    void aReplicaMissingOneTickDoesNotTurnItsHistoryIntoOneTicksRate() {
        long[] a = {1_000};
        long[] b = {1_000_000};
        AtomicBoolean peerTimesOut = new AtomicBoolean();
        Map<String, byte[]> answers = new HashMap<>();
        ClusterCounters cc = new ClusterCounters(() -> replica(a[0]), () -> null, () -> {
            answers.put("b", peerTimesOut.get() ? null : replica(b[0]));
            return answers;
        }, System::nanoTime, 10_000);
        LiveTelemetry t = new LiveTelemetry(cc::agents, cc::edges, System::nanoTime, LiveTelemetry.STALE_AFTER_MS);
        List<Integer> arrivals = new ArrayList<>();
        for (int tick = 0; tick < 5; tick++) {
            a[0] += 10;
            b[0] += 10;
            peerTimesOut.set(tick == 2); // b misses one deadline
            cc.refresh();
            arrivals.add(t.sample(1.0).snapshot().arrivals()[0]);
        }
        // the first sample is the history (the loop discards it); then 20 a tick, 10 while b is held still, 30 after
        assertThat(arrivals.subList(1, 5)).containsExactly(20, 10, 30, 20);
    }

    @Test
    void aMalformedSnapshotIsSkippedAndTheReplicaHeldAtItsLastGoodOne() {
        byte[] good = replica(500);
        byte[][] next = {good};
        ClusterCounters cc = new ClusterCounters(() -> replica(100), () -> null,
                () -> Map.of("b", replica(1_000), "c", next[0]), System::nanoTime, 10_000);
        cc.refresh();
        assertThat(cc.agents().iterator().next().callsIn.sum()).isEqualTo(1_600);
        next[0] = Arrays.copyOf(replica(700), 10); // truncated
        assertThat(cc.refresh()).isTrue();
        assertThat(cc.agents().iterator().next().callsIn.sum()).as("c held at 500").isEqualTo(1_600);
        byte[] otherVersion = replica(700);
        otherVersion[7] = 9; // version 9
        next[0] = otherVersion;
        cc.refresh();
        assertThat(cc.agents().iterator().next().callsIn.sum()).isEqualTo(1_600);
    }

    @Test
    void theLeadersMergedCountersAreUsedOnceEach() {
        ClusterCounters leader = new ClusterCounters(() -> replica(100), () -> null, () -> Map.of("b", replica(1_000)),
                System::nanoTime, 10_000);
        leader.refresh();
        byte[][] served = {leader.merged()};
        ClusterCounters follower = new ClusterCounters(() -> replica(1_000), () -> served[0], Map::of, System::nanoTime, 10_000);
        assertThat(follower.refresh()).isTrue();
        assertThat(follower.agents().iterator().next().callsIn.sum()).isEqualTo(1_100);
        assertThat(follower.refresh()).as("the leader has not ticked since").isFalse();
        leader.refresh();
        served[0] = leader.merged();
        assertThat(follower.refresh()).isTrue();
        assertThat(follower.merged()).as("a follower serves nothing").isNull();
    }
}
