package org.gridfusion.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Rules reviewers should not have to check by hand (STYLE.md §10); each {@code check} fails the
 * test with the violations.
 */
class ArchitectureTest {
  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.gridfusion");

  @Test
  void theRulesSeeTheWholeCodeBase() {
    // An import that found nothing would make every rule below pass without checking anything.
    assertThat(PRODUCTION.stream().map(c -> c.getPackageName().split("\\.")[2]).distinct())
        .contains(
            "common",
            "schema",
            "connectors",
            "jobs",
            "embedded",
            "simulator",
            "console",
            "launcher");
  }

  @Test
  void jobsDoNotReachIntoConnectorsOrTheLauncher() {
    noClasses()
        .that()
        .resideInAPackage("org.gridfusion.jobs..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.gridfusion.connectors..",
            "org.gridfusion.launcher..",
            "org.gridfusion.simulator..",
            "org.gridfusion.embedded..")
        .check(PRODUCTION);
  }

  @Test
  void connectorsDoNotDependOnFlinkOrTheJobs() {
    noClasses()
        .that()
        .resideInAPackage("org.gridfusion.connectors..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "org.gridfusion.jobs..")
        .check(PRODUCTION);
  }

  @Test
  void theConsoleReadsWhatTheJobWritesButNeedsNeitherFlinkNorTheJob() {
    // what both need (Elasticsearch client, index names, the loop's allowed actions) lives in
    // common
    noClasses()
        .that()
        .resideInAPackage("org.gridfusion.console..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.flink..",
            "org.gridfusion.jobs..",
            "org.gridfusion.connectors..",
            "org.gridfusion.launcher..",
            "org.gridfusion.embedded..")
        .check(PRODUCTION);
  }

  @Test
  void contractCodeDependsOnNothingOfOurs() {
    noClasses()
        .that()
        .resideInAnyPackage("org.gridfusion.common..", "org.gridfusion.schema..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.gridfusion.jobs..",
            "org.gridfusion.connectors..",
            "org.gridfusion.launcher..",
            "org.gridfusion.simulator..",
            "org.gridfusion.console..",
            "org.gridfusion.embedded..")
        .check(PRODUCTION);
  }

  @Test
  void noJunit4Anywhere() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.junit")
        .check(new ClassFileImporter().importPackages("org.gridfusion"));
  }

  @Test
  void onlyFlip27SourcesAndSinkV2() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.apache.flink.streaming.api.functions.source.SourceFunction")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.apache.flink.streaming.api.functions.sink.SinkFunction")
        .check(PRODUCTION);
  }
}
