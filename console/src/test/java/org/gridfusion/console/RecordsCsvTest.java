package org.gridfusion.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordsCsvTest {
  @Test
  void aCellIsQuotedAsRfc4180AndNeverAFormula() {
    assertThat(RecordsApi.cell("plain")).isEqualTo("plain");
    assertThat(RecordsApi.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(RecordsApi.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(RecordsApi.cell("=HYPERLINK(\"http://x\")"))
        .isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
    assertThat(RecordsApi.cell("+86 138")).isEqualTo("'+86 138");
    assertThat(RecordsApi.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    // numbers stay numbers
    assertThat(RecordsApi.cell("-12.5")).isEqualTo("-12.5");
    assertThat(RecordsApi.cell("-1.5E-3")).isEqualTo("-1.5E-3");
  }
}
