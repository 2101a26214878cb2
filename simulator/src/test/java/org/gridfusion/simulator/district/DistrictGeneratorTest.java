package org.gridfusion.simulator.district;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.contract.SensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistrictGeneratorTest {
  private static final long SEED = 20261124L;
  private static final List<String> FILES =
      List.of(
          District.GRIDS_FILE,
          District.DEVICES_FILE,
          District.ADDRESSES_FILE,
          District.CONTEXT_RECORDS_FILE);

  @TempDir Path tmp;

  @Test
  void sameSpecWritesTheSameBytes() throws IOException {
    DistrictGenerator.generate(DistrictSpec.small(SEED)).writeTo(tmp.resolve("a"));
    DistrictGenerator.generate(DistrictSpec.small(SEED)).writeTo(tmp.resolve("b"));
    for (String f : FILES) {
      assertThat(Files.readAllBytes(tmp.resolve("a").resolve(f)))
          .as(f)
          .isNotEmpty()
          .isEqualTo(Files.readAllBytes(tmp.resolve("b").resolve(f)));
    }
  }

  @Test
  void anotherSeedWritesOtherBytes() throws IOException {
    DistrictGenerator.generate(DistrictSpec.small(SEED)).writeTo(tmp.resolve("a"));
    DistrictGenerator.generate(DistrictSpec.small(SEED + 1)).writeTo(tmp.resolve("b"));
    for (String f : FILES) {
      assertThat(Files.readAllBytes(tmp.resolve("a").resolve(f)))
          .as(f)
          .isNotEqualTo(Files.readAllBytes(tmp.resolve("b").resolve(f)));
    }
  }

  @Test
  void writingLeavesNoTemporaryFiles() throws IOException {
    DistrictGenerator.generate(DistrictSpec.small(SEED)).writeTo(tmp);
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(FILES);
    }
  }

  @Test
  void smallDistrictHasEveryKindOfGridAndDevice() {
    District d = DistrictGenerator.generate(DistrictSpec.small(SEED));
    DistrictSummary s = d.summary();
    assertThat(s.streets()).isEqualTo(2);
    assertThat(s.communities()).isEqualTo(4);
    assertThat(s.gridsByKind().keySet()).containsExactlyInAnyOrder(GridKind.values());
    assertThat(s.gridsByKind().get(GridKind.BASIC)).isBetween(4 * 3, 4 * 5);
    assertThat(s.sensorsByType().keySet()).containsExactlyInAnyOrder(SensorType.values());
    assertThat(s.contextRecordsByType().keySet())
        .containsExactlyInAnyOrder(
            ContextRecord.ELDERLY_LIVING_ALONE,
            ContextRecord.HAZARDOUS_ENTERPRISE,
            ContextRecord.LOW_INCOME_HOUSEHOLD,
            ContextRecord.COMMUNITY_CORRECTION,
            ContextRecord.DANGEROUS_BUILDING);
  }

  @Test
  void idsFollowTheConventions() {
    District d = DistrictGenerator.generate(DistrictSpec.of(3, 4, SEED));
    for (Grid g : d.grids()) {
      String pattern =
          g.isDedicated()
              ? "G-S\\d{2}-C\\d{2}-(SCH|HOS|MKT|BIZ|PRK|IND)\\d+"
              : "G-S\\d{2}-C\\d{2}-B\\d{2}";
      assertThat(g.gridId()).matches(pattern).startsWith("G-" + g.community() + "-");
      assertThat(g.community()).startsWith(g.street() + "-");
      assertThat(g.district()).isEqualTo("Horqin");
      if (!g.isDedicated()) assertThat(g.households()).isBetween(300, 500);
    }
    for (Device dev : d.devices()) {
      assertThat(dev.deviceId()).matches(dev.isCamera() ? "CAM-\\d{6}" : dev.type() + "-\\d{5}");
    }
    d.addresses().forEach(a -> assertThat(a.addressCode()).matches("150502-\\d{3}-\\d{4}"));
    assertThat(unique(d.grids().stream().map(Grid::gridId).toList())).isTrue();
    assertThat(unique(d.devices().stream().map(Device::deviceId).toList())).isTrue();
    assertThat(unique(d.addresses().stream().map(Address::addressCode).toList())).isTrue();
    assertThat(unique(d.contextRecords().stream().map(ContextRecord::recordId).toList())).isTrue();
  }

  @Test
  void everyDeviceAndAddressLiesStrictlyInsideItsGridAndThePipelineFindsThatGrid() {
    District d = DistrictGenerator.generate(DistrictSpec.of(3, 4, SEED));
    for (Device dev : d.devices()) {
      Grid g = d.grid(dev.gridId()).orElseThrow();
      assertThat(g.bounds().containsStrictly(dev.lat(), dev.lon())).as(dev.deviceId()).isTrue();
      assertThat(d.gridAt(dev.lat(), dev.lon())).as(dev.deviceId()).contains(g);
    }
    for (Address a : d.addresses()) {
      Grid g = d.grid(a.gridId()).orElseThrow();
      assertThat(g.bounds().containsStrictly(a.lat(), a.lon())).as(a.addressCode()).isTrue();
      assertThat(d.gridAt(a.lat(), a.lon())).as(a.addressCode()).contains(g);
    }
  }

  @Test
  void everyElderlyPersonHasTheirOwnDoorSensorInTheirGrid() {
    District d = DistrictGenerator.generate(DistrictSpec.of(3, 4, SEED));
    List<ContextRecord> elderly = d.contextRecords(ContextRecord.ELDERLY_LIVING_ALONE);
    assertThat(elderly).isNotEmpty();
    Set<String> doors = new HashSet<>();
    for (ContextRecord r : elderly) {
      Device door = d.device(r.attributes().get("doorSensorId")).orElseThrow();
      assertThat(door.type()).isEqualTo(SensorType.DOOR.name());
      Address home = d.address(r.addressCode()).orElseThrow();
      assertThat(door.gridId()).isEqualTo(home.gridId()).isEqualTo(r.gridId());
      assertThat(doors.add(door.deviceId())).as("door used twice: " + door.deviceId()).isTrue();
    }
    // and no DOOR sensor without an elderly person behind it
    assertThat(d.sensors(SensorType.DOOR)).hasSize(elderly.size());
  }

  @Test
  void personalDataLooksReal() {
    District d = DistrictGenerator.generate(DistrictSpec.of(3, 4, SEED));
    for (ContextRecord r : d.contextRecords()) {
      if (r.subjectId() == null) continue;
      assertThat(r.subjectId()).matches("\\d{18}");
      assertThat(SyntheticPeople.checkDigit(r.subjectId().substring(0, 17)))
          .isEqualTo(r.subjectId().charAt(17));
      assertThat(r.attributes().get("phone")).matches("1\\d{10}");
      assertThat(r.attributes().get("name")).isNotBlank();
    }
  }

  @Test
  void contextRecordsAreDatedWithinThirtyDaysBeforeAsOf() {
    DistrictSpec spec = DistrictSpec.small(SEED);
    District d = DistrictGenerator.generate(spec);
    for (ContextRecord r : d.contextRecords()) {
      assertThat(r.ts()).isBefore(spec.asOf()).isAfter(spec.asOf().minus(Duration.ofDays(30)));
      assertThat(r.toJson()).contains("\"ts\":\"").contains("+08:00\"");
    }
  }

  @Test
  void dedicatedGridsAreSpreadByTheirHosts() {
    District d = DistrictGenerator.generate(DistrictSpec.of(4, 5, SEED));
    Map<String, Integer> perHost = new HashMap<>();
    for (Grid g : d.dedicatedGrids()) {
      Grid host = d.grid(g.hostGridId()).orElseThrow();
      assertThat(host.kind()).isEqualTo(GridKind.BASIC);
      assertThat(host.community()).isEqualTo(g.community());
      perHost.merge(host.gridId(), 1, Integer::sum);
    }
    assertThat(perHost.values()).allMatch(n -> n == 1);
  }

  @Test
  void refusesMoreCommunitiesThanTheAreaHolds() {
    DistrictSpec tooDense =
        DistrictSpec.of(400, 400, SEED).withBounds(new BoundingBox(43.62, 122.20, 43.63, 122.21));
    assertThatThrownBy(() -> DistrictGenerator.generate(tooDense))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("do not fit");
  }

  private static boolean unique(List<String> ids) {
    return new HashSet<>(ids).size() == ids.size() && !ids.isEmpty();
  }

  static List<Grid> basicGridsOf(District d, String community) {
    List<Grid> out = new ArrayList<>();
    for (Grid g : d.gridsOf(community)) if (!g.isDedicated()) out.add(g);
    return out;
  }
}
