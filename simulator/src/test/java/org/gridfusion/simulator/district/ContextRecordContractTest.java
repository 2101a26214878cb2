package org.gridfusion.simulator.district;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.schema.DepartmentRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The written context records are accepted by the contract's own parser, received at {@code asOf}.
 */
class ContextRecordContractTest {
  @TempDir Path dir;

  @Test
  void everyLineOfTheContextFileIsAValidDepartmentRecordWithAKnownAddress() throws IOException {
    DistrictSpec spec = DistrictSpec.small(5);
    District d = DistrictGenerator.generate(spec);
    d.writeTo(dir);
    InputParsers parsers = new InputParsers(TimeWindow.CONTRACT_DEFAULT);
    List<String> lines = Files.readAllLines(dir.resolve(District.CONTEXT_RECORDS_FILE));
    assertThat(lines).hasSize(d.contextRecords().size());
    for (String line : lines) {
      Parsed<?> json = InputParsers.json(line);
      assertThat(json).as(line).isInstanceOf(Parsed.Ok.class);
      Parsed<DepartmentRecord> parsed =
          parsers.departmentRecord(
              ((Parsed.Ok<JsonNode>) json).value(), spec.asOf().toEpochMilli(), "test");
      assertThat(parsed).as(line).isInstanceOf(Parsed.Ok.class);
      DepartmentRecord r = ((Parsed.Ok<DepartmentRecord>) parsed).value();
      assertThat(d.address(r.getAddressCode())).as(line).isPresent();
      if (r.getLat() != null) {
        assertThat(d.gridAt(r.getLat(), r.getLon()).orElseThrow().gridId())
            .isEqualTo(d.address(r.getAddressCode()).orElseThrow().gridId());
      }
    }
  }
}
