package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.CascadeInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictorTrainingSetsTest {
  @Test
  void aFamilyTakesItsOwnRangeOrTheDefault() {
    List<PredictorTraining.FamilySeeds> s = PredictorTraining.parseFamilies("dsb-sn, ali-100 ,ali-1000:2001-2030,b1-hier:7",
        new long[] {1, 60});
    assertThat(s).containsExactly(new PredictorTraining.FamilySeeds("dsb-sn", 1, 60),
        new PredictorTraining.FamilySeeds("ali-100", 1, 60), new PredictorTraining.FamilySeeds("ali-1000", 2001, 2030),
        new PredictorTraining.FamilySeeds("b1-hier", 7, 7));
    assertThat(s.get(2)).hasToString("ali-1000:2001-2030");
    assertThat(PredictorTraining.parseFamilies(" ALI-1000 :3-4", new long[] {1, 60}))
        .containsExactly(new PredictorTraining.FamilySeeds("ali-1000", 3, 4));
  }

  @Test
  void rangesOverlapOnlyWithinOneFamily() {
    var a = new PredictorTraining.FamilySeeds("ali-1000", 2001, 2030);
    assertThat(a.overlaps(new PredictorTraining.FamilySeeds("ali-1000", 2030, 2040))).isTrue();
    assertThat(a.overlaps(new PredictorTraining.FamilySeeds("ali-1000", 2031, 2040))).isFalse();
    assertThat(a.overlaps(new PredictorTraining.FamilySeeds("ali-100", 2001, 2030))).isFalse();
  }

  @Test
  void badListsAreRefusedWithTheirPart() {
    long[] d = {1, 2};
    assertThatThrownBy(() -> PredictorTraining.parseFamilies("dsb-sn:3-", d)).isInstanceOf(CascadeInputException.class)
        .hasMessageContaining("'dsb-sn:3-'");
    assertThatThrownBy(() -> PredictorTraining.parseFamilies("dsb-sn:0-4", d)).hasMessageContaining("1 <= A <= B");
    assertThatThrownBy(() -> PredictorTraining.parseFamilies(":1-4", d)).hasMessageContaining("empty family name");
    assertThatThrownBy(() -> PredictorTraining.parseFamilies("a,a", d)).hasMessageContaining("lists seeds of a twice (a:1-2, a:1-2)");
    assertThatThrownBy(() -> PredictorTraining.parseFamilies("a:1-5,a:5-9", d)).hasMessageContaining("lists seeds of a twice");
    assertThat(PredictorTraining.parseFamilies("a:1-5,a:6-9", d)).hasSize(2);
    assertThatThrownBy(() -> PredictorTraining.parseFamilies("ali-1000, ALI-1000", d)).hasMessageContaining("twice");
    assertThatThrownBy(() -> PredictorTraining.parseFamilies("a:1-9223372036854775807", d))
        .hasMessageContaining("more than 1000000 episodes");
    assertThatThrownBy(() -> PredictorTraining.parseFamilies("a:1-600000,b:1-600000", d))
        .hasMessageContaining("more than 1000000 episodes");
  }

  @Test
  void onlyTheHeadlineCellTrainsWithTheCalibratedFaultScale() {
    assertThat(PredictorTraining.headline("ali-1000", new PredictorTraining.Setup(0.2, 0.9, 1200))).isTrue();
    assertThat(PredictorTraining.headline("ali-100", new PredictorTraining.Setup(0.2, 0.9, 1200))).isFalse();
    assertThat(PredictorTraining.headline("ali-1000", new PredictorTraining.Setup(0.2, 0.75, 1200))).isFalse();
    assertThat(PredictorTraining.headline("ali-1000", new PredictorTraining.Setup(0.5, 0.9, 1200))).isFalse();
  }
}
