package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.FaultKind;
import io.aura.cascade.sim.GuardConfig;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.SimTopology;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CpbRunnerTest {
    static final long MS = 1_000_000L;

    /** Entry 0 -> {1, 2}, 1 -> 3, 2 -> 3: a shared leaf, provisioned with α (a real topology, built per seed). */
    static TopologySource diamond() {
        return new TopologySource() {
            @Override
            public String kind() {
                return "family";
            }

            @Override
            public String name() {
                return "test-diamond";
            }

            @Override
            public String fileSha256() {
                return null;
            }

            @Override
            public SimTopology build(double alpha, long seed) {
                return SimTopology.builder(4)
                        .agent(0, 2 * MS, 0.0, 40).agent(1, 3 * MS, 0.0, 0).agent(2, 3 * MS, 0.0, 0).agent(3, 4 * MS, 0.001, 0)
                        .call(0, 1, 1.0, 1).call(0, 2, 0.8, 1).call(1, 3, 1.0, 1).call(2, 3, 1.0, 2)
                        .buildProvisioned(alpha, seed);
            }
        };
    }

    /** A SUT that isolates agent 2 for 600 s at its first decision after 700 s (a guard with visible effects). */
    static final class IsolateOnce implements CascadeGuard {
        private boolean done;

        @Override
        public void init(StaticTopology staticTopology, GuardConfig cfg) {
        }

        @Override
        public Prediction predict(TelemetrySnapshot s) {
            return Prediction.of(0.0);
        }

        @Override
        public List<Action> decide(TelemetrySnapshot s, Prediction p) {
            if (done || s.timeSec() < 700) {
                return List.of();
            }
            done = true;
            return List.of(new Action.Isolate(2, 600_000));
        }
    }

    static List<Arm> arms() {
        return List.of(Arms.parse("b0").get(0), new Arm.Guarded("isolate", IsolateOnce::new, false, "test"));
    }

    static List<CpbRunner.EpisodeRecord> run(int threads) throws InterruptedException {
        EpisodeParams params = EpisodeParams.defaults().withDuration(900, 150).withFault(FaultKind.F2_SLOW);
        CpbRunner.Plan plan = new CpbRunner.Plan(diamond(), 0.2, 5, 7, arms(), params, threads);
        List<CpbRunner.EpisodeRecord> out = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        CpbRunner.run(plan, (done, total, events) -> {
            calls.incrementAndGet();
            assertThat(total).isEqualTo(6);
        }, out::add);
        assertThat(calls.get()).isEqualTo(6);
        return out;
    }

    @Test
    void resultsComeInSeedThenArmOrderAndDoNotDependOnThreads() throws Exception {
        List<CpbRunner.EpisodeRecord> one = run(1);
        List<CpbRunner.EpisodeRecord> three = run(3);
        List<String> order = new ArrayList<>();
        for (CpbRunner.EpisodeRecord e : one) {
            order.add(e.seed() + " " + e.arm());
        }
        assertThat(order).containsExactly("5 b0", "5 isolate", "6 b0", "6 isolate", "7 b0", "7 isolate");
        for (int i = 0; i < one.size(); i++) {
            assertThat(three.get(i).result().traceSha256()).isEqualTo(one.get(i).result().traceSha256());
            assertThat(three.get(i).topologySha256()).isEqualTo(one.get(i).topologySha256());
        }
        // paired arms share the seed's topology
        assertThat(one.get(0).topologySha256()).isEqualTo(one.get(1).topologySha256()).hasSize(64);
        // the guard acted: its episode differs from b0 on the same seed
        assertThat(one.get(1).result().actionCount()).isEqualTo(1);
        assertThat(one.get(1).result().traceSha256()).isNotEqualTo(one.get(0).result().traceSha256());
        assertThat(one.get(0).result().actionCount()).isZero();
    }

    @Test
    void randBudgetReplaysTheSutBudgetOnTheSameSeed() throws Exception {
        Arm.Guarded sut = new Arm.Guarded("isolate", IsolateOnce::new, false, "test");
        // rand-budget listed before its SUT arm: its task waits for (or runs) the SUT episode of the seed
        List<Arm> arms = List.of(new Arm.RandBudget(Arms.RAND_BUDGET, sut), Arms.parse("b0").get(0), sut);
        EpisodeParams params = EpisodeParams.defaults().withDuration(900, 150).withFault(FaultKind.F2_SLOW);
        for (int threads : new int[] {1, 3}) {
            List<CpbRunner.EpisodeRecord> out = new ArrayList<>();
            CpbRunner.run(new CpbRunner.Plan(diamond(), 0.2, 8, 9, arms, params, threads), (d, t, e) -> { }, out::add);
            assertThat(out).extracting(CpbRunner.EpisodeRecord::arm)
                    .containsExactly("rand-budget", "b0", "isolate", "rand-budget", "b0", "isolate");
            for (int s = 0; s < 2; s++) {
                CpbRunner.EpisodeRecord rand = out.get(3 * s);
                CpbRunner.EpisodeRecord isolate = out.get(3 * s + 2);
                assertThat(isolate.result().actionCount()).isEqualTo(1);
                assertThat(rand.result().actionCount()).isEqualTo(1);
                assertThat(rand.result().actionsApplied().get(0).action()).isInstanceOf(Action.Isolate.class);
                assertThat(rand.result().actionsApplied().get(0).action().durationMs()).isEqualTo(600_000);
                assertThat(rand.result().faultTimeSec()).isEqualTo(isolate.result().faultTimeSec());
            }
        }
    }

    @Test
    void summaryPairsArmsWithB0() throws Exception {
        List<CpbRunner.EpisodeRecord> eps = run(2);
        List<Summary.ArmSummary> s = Summary.of(arms(), eps, 5);
        assertThat(s).hasSize(2);
        Summary.ArmSummary b0 = s.get(0);
        Summary.ArmSummary iso = s.get(1);
        assertThat(b0.vsB0()).isNull();
        assertThat(b0.n()).isEqualTo(3);
        double meanB0 = (eps.get(0).result().cascadeSize() + eps.get(2).result().cascadeSize() + eps.get(4).result().cascadeSize()) / 3;
        double meanIso = (eps.get(1).result().cascadeSize() + eps.get(3).result().cascadeSize() + eps.get(5).result().cascadeSize()) / 3;
        assertThat(b0.sizes().mean()).isEqualTo(meanB0);
        assertThat(iso.vsB0()).isNotNull();
        // isolating agent 2 makes it FAILED: the arm's cascades are at least 1/3 of the agents outside F0
        assertThat(iso.sizes().mean()).isGreaterThan(0.3);
        assertThat(iso.vsB0().rSize().point()).isEqualTo(meanB0 / meanIso);
        assertThat(iso.vsB0().rSize().replicates()).isEqualTo(10_000);
        double meanDa = 0;
        for (int i = 0; i < 3; i++) {
            meanDa += eps.get(2 * i).result().availability() - eps.get(2 * i + 1).result().availability();
        }
        assertThat(iso.vsB0().deltaA().mean()).isCloseTo(meanDa / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(iso.vsB0().deltaA().mean()).isPositive();
        assertThat(iso.bestBaseline()).isEqualTo("b0");
        assertThat(iso.vsB0().pcr()).hasSize(3);
    }
}
