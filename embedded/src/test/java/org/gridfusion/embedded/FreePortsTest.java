package org.gridfusion.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void foundPortsAreDistinctAndBindable() throws Exception {
    int[] ports = FreePorts.find(5);
    assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(5);
    for (int port : ports) {
      assertThat(port).isBetween(1, 65535);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(s.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  void orFreeKeepsAGivenPortAndReplacesZero() {
    assertThat(FreePorts.orFree(9092)).isEqualTo(9092);
    assertThat(FreePorts.orFree(0)).isPositive();
    assertThatThrownBy(() -> FreePorts.orFree(70000)).isInstanceOf(IllegalArgumentException.class);
  }
}
