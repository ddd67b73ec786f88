package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.sim.Baseline;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.FaultKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArmsAndFaultsTest {
    @Test
    void everySimulatorBaselineIsAnArmThatSetsItsBaseline() {
        for (Baseline b : Baseline.values()) {
            List<Arm> arms = Arms.parse(b.armName().toUpperCase(java.util.Locale.ROOT));
            assertThat(arms).hasSize(1);
            Arm.Baseline arm = (Arm.Baseline) arms.get(0);
            assertThat(arm.name()).isEqualTo(b.armName());
            assertThat(arm.configure().apply(EpisodeParams.defaults()).baseline()).isEqualTo(b);
        }
        assertThat(Arms.names()).startsWith("b0").endsWith("aura", "aura-shed", "aura-no-throttle", "aura-no-latency", "aura-predict", Arms.RAND_BUDGET)
                .hasSize(Baseline.values().length + 6);
        assertThat(Arms.parse(" b3 , b0 ")).extracting(Arm::name).containsExactly("b3", "b0");
    }

    @Test
    void auraIsAFullModeArmWithAPredictOnlyTwinAndRandBudgetReplaysIt() {
        List<Arm> arms = Arms.parse("b0,aura,aura-predict,rand-budget");
        Arm.Guarded full = (Arm.Guarded) arms.get(1);
        Arm.Guarded twin = (Arm.Guarded) arms.get(2);
        assertThat(full.predictOnly()).isFalse();
        assertThat(twin.predictOnly()).isTrue();
        // the predict-only twin runs no policy; the full arm's version also names the policy's settings
        assertThat(twin.sutVersion()).matches("aura-[0-9a-f]{12}");
        assertThat(full.sutVersion()).matches("aura-[0-9a-f]{12}-policy-[0-9a-f]{12}").startsWith(twin.sutVersion() + "-policy-");
        Arm.Guarded noThrottle = (Arm.Guarded) Arms.parse("aura-no-throttle").get(0);
        assertThat(noThrottle.sutVersion()).as("a different policy, a different version").startsWith(twin.sutVersion() + "-policy-")
                .isNotEqualTo(full.sutVersion());
        assertThatThrownBy(() -> Arms.parse("b0,aura-latency")).as("a retired arm says what replaced it")
                .hasMessageContaining("arm 'aura-latency' is retired").hasMessageContaining("run aura");
        Arm.Guarded latency = (Arm.Guarded) Arms.parse("aura-no-latency").get(0);
        assertThat(latency.sutVersion()).as("a different policy, a different version")
                .isNotIn(full.sutVersion(), noThrottle.sutVersion());
        assertThat(full.guard().get()).isInstanceOf(io.aura.cascade.predict.AuraGuard.class);
        assertThat(arms.get(3)).isInstanceOf(Arm.RandBudget.class);
        assertThatThrownBy(() -> Arms.parse("b0,aura-predict,rand-budget")).hasMessageContaining("add a full-mode SUT arm");
    }

    @Test
    void aBaselineWithItsKnobSetRunsThatBaselineWithOnlyThatSettingChanged() {
        List<Arm> arms = Arms.parse("b1-r4j,b1-r4j@30,B1-HYX@25,b3@1.5,b4@2");
        assertThat(arms).extracting(Arm::name).containsExactly("b1-r4j", "b1-r4j@30", "b1-hyx@25", "b3@1.5", "b4@2");
        EpisodeParams d = EpisodeParams.defaults();
        EpisodeParams r4j = ((Arm.Baseline) arms.get(1)).configure().apply(d);
        assertThat(r4j.baseline()).isEqualTo(Baseline.B1_R4J);
        assertThat(r4j.tuning().r4j().failureRateThresholdPercent()).isEqualTo(30.0);
        assertThat(r4j.tuning().r4j().waitDurationInOpenStateNanos()).isEqualTo(d.tuning().r4j().waitDurationInOpenStateNanos());
        assertThat(r4j.tuning().hystrix()).isEqualTo(d.tuning().hystrix());
        EpisodeParams hyx = ((Arm.Baseline) arms.get(2)).configure().apply(d);
        assertThat(hyx.baseline()).isEqualTo(Baseline.B1_HYX);
        assertThat(hyx.tuning().hystrix().errorThresholdPercentage()).isEqualTo(25);
        EpisodeParams b3 = ((Arm.Baseline) arms.get(3)).configure().apply(d);
        assertThat(b3.tuning().sre().k()).isEqualTo(1.5);
        assertThat(b3.tuning().sre().retryBudgetRatio()).isEqualTo(d.tuning().sre().retryBudgetRatio());
        EpisodeParams b4 = ((Arm.Baseline) arms.get(4)).configure().apply(d);
        assertThat(b4.tuning().envoy().consecutive5xx()).isEqualTo(2);
        assertThat(b4.tuning().envoy().alwaysEjectOneHost()).isTrue();
        // the default arm is the spec's settings
        assertThat(((Arm.Baseline) arms.get(0)).configure().apply(d).tuning()).isEqualTo(io.aura.cascade.sim.BaselineTuning.defaults());
    }

    @Test
    void badKnobsAreRejectedWithTheAcceptedRange() {
        assertThatThrownBy(() -> Arms.parse("b0@3")).hasMessageContaining("only b1-hyx, b1-r4j, b3, b4 take a knob after @");
        assertThatThrownBy(() -> Arms.parse("b1-r4j@abc")).hasMessageContaining("'abc' is not a number").hasMessageContaining("default 50");
        assertThatThrownBy(() -> Arms.parse("b1-r4j@0")).hasMessageContaining("failureRateThresholdPercent");
        assertThatThrownBy(() -> Arms.parse("b1-r4j@150")).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> Arms.parse("b1-hyx@12.5")).hasMessageContaining("integer in [1, 100]");
        assertThatThrownBy(() -> Arms.parse("b4@0")).hasMessageContaining("consecutive5xx");
        assertThatThrownBy(() -> Arms.parse("b3@-1")).hasMessageContaining("k = -1.0");
        assertThatThrownBy(() -> Arms.parse("b3@NaN")).hasMessageContaining("K, > 0");
        assertThatThrownBy(() -> Arms.parse("b3@2,b3@2")).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> Arms.parse("bogus")).hasMessageContaining("b1-r4j@X, b1-hyx@X, b3@K, b4@N");
    }

    @Test
    void emptyArmNamesAreRejected() {
        assertThatThrownBy(() -> Arms.parse("b0,,b3")).hasMessageContaining("--arms has an empty name");
    }

    @Test
    void faultNames() {
        assertThat(Faults.parse("f-std")).isEqualTo(FaultKind.F_STD);
        assertThat(Faults.parse("F2")).isEqualTo(FaultKind.F2_SLOW);
        assertThat(Faults.parse("f1")).isEqualTo(FaultKind.F1_AGENT);
        assertThat(Faults.parse("f4")).isEqualTo(FaultKind.F4_SURGE);
        assertThat(Faults.parse("f4-surge-one")).isEqualTo(FaultKind.F4_SURGE_ONE);
        assertThat(Faults.parse("F3_CAPACITY")).isEqualTo(FaultKind.F3_CAPACITY);
        assertThat(Faults.parse("none")).isEqualTo(FaultKind.NONE);
        for (FaultKind k : FaultKind.values()) {
            assertThat(Faults.parse(k.name())).isEqualTo(k);
        }
        assertThatThrownBy(() -> Faults.parse("f6")).hasMessageStartingWith("unknown --fault 'f6'; accepted: none, f1-agent");
    }
}
