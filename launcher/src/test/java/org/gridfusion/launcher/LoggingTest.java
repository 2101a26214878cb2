package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log goes to the data directory the command will use, however it was given. */
class LoggingTest {
  private static final Map<String, String> NO_ENV = Map.of();

  @Test
  void theDataDirectoryComesFromFlagSetOrEnvironmentAsTheConfigurationReadsThem() {
    assertThat(Logging.dataDir(new String[] {"demo"}, NO_ENV)).isEqualTo("gridfusion-data");
    assertThat(Logging.dataDir(new String[] {"demo"}, Map.of("GF_DATA_DIR", "/e"))).isEqualTo("/e");
    assertThat(Logging.dataDir(new String[] {"demo", "--data-dir", "/d"}, NO_ENV)).isEqualTo("/d");
    assertThat(Logging.dataDir(new String[] {"demo", "--data-dir=/d"}, NO_ENV)).isEqualTo("/d");
    // found running the demo with --set data.dir=...: its log went to ./gridfusion-data
    assertThat(Logging.dataDir(new String[] {"demo", "--set", "data.dir=/s"}, NO_ENV))
        .isEqualTo("/s");
    assertThat(Logging.dataDir(new String[] {"demo", "--set=data.dir=/s"}, NO_ENV)).isEqualTo("/s");
    // --set is applied after --data-dir (ConfigOptions)
    assertThat(
            Logging.dataDir(
                new String[] {"demo", "--set", "data.dir=/s", "--data-dir", "/d"}, NO_ENV))
        .isEqualTo("/s");
    assertThat(Logging.dataDir(new String[] {"demo", "--set", "console.port=1"}, NO_ENV))
        .isEqualTo("gridfusion-data");
  }
}
