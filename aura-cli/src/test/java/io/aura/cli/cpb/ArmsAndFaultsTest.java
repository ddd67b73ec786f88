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
        assertThat(Arms.names()).startsWith("b0").endsWith("aura", "aura-shed", "aura-predict", Arms.RAND_BUDGET)
                .hasSize(Baseline.values().length + 4);
        assertThat(Arms.parse(" b3 , b0 ")).extracting(Arm::name).containsExactly("b3", "b0");
    }

    @Test
    void auraIsAFullModeArmWithAPredictOnlyTwinAndRandBudgetReplaysIt() {
        List<Arm> arms = Arms.parse("b0,aura,aura-predict,rand-budget");
        Arm.Guarded full = (Arm.Guarded) arms.get(1);
        Arm.Guarded twin = (Arm.Guarded) arms.get(2);
        assertThat(full.predictOnly()).isFalse();
        assertThat(twin.predictOnly()).isTrue();
        assertThat(full.sutVersion()).matches("aura-[0-9a-f]{12}").isEqualTo(twin.sutVersion());
        assertThat(full.guard().get()).isInstanceOf(io.aura.cascade.predict.AuraGuard.class);
        assertThat(arms.get(3)).isInstanceOf(Arm.RandBudget.class);
        assertThatThrownBy(() -> Arms.parse("b0,aura-predict,rand-budget")).hasMessageContaining("add a full-mode SUT arm");
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
