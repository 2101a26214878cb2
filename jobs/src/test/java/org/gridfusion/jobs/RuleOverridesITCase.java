package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate.open;
import static org.gridfusion.jobs.testing.Raw.camera;
import static org.gridfusion.schema.Severity.IMPORTANT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.schema.CameraEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-kind parameter overrides in the rule file ({@code rules.file}): a market's crowd threshold is
 * not a basic grid's. Three crowds of 60 gather in a basic grid and in a market: only the basic
 * grid alerts; four crowds of 130 in the market (its override: four of 120 or more) do.
 */
class RuleOverridesITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

  static final District DISTRICT =
      District.builder()
          .grid("G-BASIC", "BASIC", 1000)
          .camera("CAM-B")
          .grid("G-MKT", "MARKET", 3000)
          .camera("CAM-M")
          .build();

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  @Test
  void aMarketsCrowdThresholdComesFromItsKindsOverride(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("city-rules.yaml");
    Files.writeString(
        rules,
        """
        version: city-1
        rules:
          - id: CROWD_GATHERING
            kind: count
            match: {source: CAMERA, type: CROWD, field: objectCount, atLeast: 50}
            count: 3
            within: 10m
            severity: IMPORTANT
            overrides:
              - for: {gridKind: MARKET}
                set: {match: {atLeast: 120}, count: 4}
        """);
    FusionJobRun.Inputs in = new FusionJobRun.Inputs();
    List<CameraEvent> basic = new ArrayList<>();
    List<CameraEvent> market = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      basic.add(camera("b-" + m, "CAM-B", "CROWD", t(m), 0.9, 60));
      market.add(camera("m-" + m, "CAM-M", "CROWD", t(m), 0.9, 60));
    }
    for (int m = 3; m < 7; m++) market.add(camera("m-" + m, "CAM-M", "CROWD", t(m), 0.9, 130));
    in.cameras("basic").emit(basic);
    in.cameras("market").emit(market);

    FusionJob.Settings settings =
        FusionJob.Settings.from(
            FusionJobRun.config(DISTRICT.write(dir.resolve("reference")))
                .with(GridFusionOptions.RULES_FILE, rules.toString()));
    CollectedOutputs out = FusionJobRun.run(CLUSTER, "rule-overrides", settings, in, t(20));

    AlertUpdate basicCrowd =
        open(
                "CROWD_GATHERING",
                "G-BASIC",
                IMPORTANT,
                t(2),
                t(2),
                1,
                "CAMERA:b-0",
                "CAMERA:b-1",
                "CAMERA:b-2")
            .version("city-1");
    assertThat(out.alertsIn("G-BASIC")).containsExactly(basicCrowd);
    AlertUpdate marketCrowd =
        open(
                "CROWD_GATHERING",
                "G-MKT",
                IMPORTANT,
                t(6),
                t(6),
                1,
                "CAMERA:m-3",
                "CAMERA:m-4",
                "CAMERA:m-5",
                "CAMERA:m-6")
            .version("city-1");
    assertThat(out.alertsIn("G-MKT")).containsExactly(marketCrowd);
  }
}
