package org.gridfusion.launcher.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gridfusion.launcher.traffic.TrafficRoutes.Route.HTTP;
import static org.gridfusion.launcher.traffic.TrafficRoutes.Route.INBOX;
import static org.gridfusion.launcher.traffic.TrafficRoutes.Route.JDBC;
import static org.gridfusion.launcher.traffic.TrafficRoutes.Route.KAFKA;
import static org.gridfusion.launcher.traffic.TrafficRoutes.Route.MQTT;

import org.junit.jupiter.api.Test;

class TrafficRoutesTest {
  @Test
  void eachInterfaceCarriesItsSourceAndKafkaTakesTheRest() {
    assertThat(TrafficRoutes.parse(TrafficRoutes.DEFAULT))
        .isEqualTo(new TrafficRoutes(MQTT, HTTP, INBOX));
    assertThat(TrafficRoutes.parse("kafka")).isEqualTo(new TrafficRoutes(KAFKA, KAFKA, KAFKA));
    assertThat(TrafficRoutes.parse(" MQTT , kafka"))
        .isEqualTo(new TrafficRoutes(MQTT, KAFKA, KAFKA));
    assertThat(TrafficRoutes.parse("mqtt,http,jdbc"))
        .isEqualTo(new TrafficRoutes(MQTT, HTTP, JDBC));
    assertThat(TrafficRoutes.parse("mqtt")).isEqualTo(new TrafficRoutes(MQTT, null, null));
    assertThat(TrafficRoutes.parse("mqtt").describe())
        .isEqualTo("sensors→mqtt cameras→(not sent) departments→(not sent)");
  }

  @Test
  void unknownOrConflictingRoutesAreRefusedWithTheChoices() {
    assertThatThrownBy(() -> TrafficRoutes.parse("mqtt,ftp"))
        .hasMessage(
            "--via: 'ftp' is not one of mqtt, http, inbox, jdbc, kafka (e.g. --via mqtt,http,jdbc or --via kafka)");
    assertThatThrownBy(() -> TrafficRoutes.parse("inbox,jdbc"))
        .hasMessageContaining("inbox or jdbc, not both");
  }
}
