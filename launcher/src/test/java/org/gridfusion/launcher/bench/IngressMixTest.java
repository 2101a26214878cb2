package org.gridfusion.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IngressMixTest {

  @Test
  void weightsBecomeSharesInAnyOrder() {
    IngressMix mix = IngressMix.parse("inbox=10, mqtt=70,http=20");
    assertThat(mix.sensorShare()).isEqualTo(0.7);
    assertThat(mix.cameraShare()).isEqualTo(0.2);
    assertThat(mix.departmentShare()).isEqualTo(0.1);
    assertThat(mix.kafka()).isFalse();
    assertThat(mix.label()).isEqualTo("mqtt70-http20-inbox10");
  }

  @Test
  void missingPartsAreZero() {
    IngressMix mix = IngressMix.parse("http=100");
    assertThat(mix.sensorShare()).isZero();
    assertThat(mix.cameraShare()).isEqualTo(1.0);
    assertThat(mix.label()).isEqualTo("mqtt0-http100-inbox0");
  }

  @Test
  void kafkaKeepsTheDefaultMixButBypassesTheConnectors() {
    IngressMix mix = IngressMix.parse("KAFKA");
    assertThat(mix.kafka()).isTrue();
    assertThat(mix.sensorShare()).isEqualTo(IngressMix.DEFAULT.sensorShare());
    assertThat(mix.label()).isEqualTo("kafka");
  }

  @Test
  void badMixesAreRefusedWithTheOptionName() {
    assertThatThrownBy(() -> IngressMix.parse("mqtt=70,http=20"))
        .hasMessageContaining("add up to 100");
    assertThatThrownBy(() -> IngressMix.parse("mqtt=70,ftp=30")).hasMessageContaining("--ingress");
    assertThatThrownBy(() -> IngressMix.parse("mqtt=lots")).hasMessageContaining("not a number");
  }
}
