package org.gridfusion.common.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PseudonymiserTest {
  private static final String ID = "110101194001011234";
  private final Pseudonymiser p = new Pseudonymiser("test-secret-0123456789");

  @Test
  void sameSubjectSameRefDifferentSecretDifferentRef() {
    assertThat(p.subjectRef(ID)).isEqualTo(p.subjectRef(ID)).startsWith("sr-").doesNotContain(ID);
    assertThat(new Pseudonymiser("another-secret-0123456789").subjectRef(ID))
        .isNotEqualTo(p.subjectRef(ID));
    assertThat(p.subjectRef("110101194001011235")).isNotEqualTo(p.subjectRef(ID));
  }

  @Test
  void masksNamesPhonesAndIdNumbersInAttributes() {
    Map<String, String> out =
        p.attributes(
            Map.of(
                "name", "王秀英",
                "phone", "13812345678",
                "note", "neighbour " + ID + " called from 13912345678",
                "personId", "P-7781",
                "doorSensorId", "DOOR-0042"));
    assertThat(out.get("name")).isEqualTo("王**");
    assertThat(out.get("phone")).isEqualTo("138******78");
    assertThat(out.get("note"))
        .doesNotContain(ID)
        .doesNotContain("13912345678")
        .contains(p.subjectRef(ID));
    assertThat(out.get("personId")).isEqualTo(p.subjectRef("P-7781"));
    assertThat(out.get("doorSensorId")).isEqualTo("DOOR-0042");
  }

  @Test
  void refusesAShortSecret() {
    assertThatThrownBy(() -> new Pseudonymiser("short")).hasMessageContaining("privacy.hmacSecret");
  }
}
