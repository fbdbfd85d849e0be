package io.s3lfs.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module arrows of DESIGN.md section 2: api <- core <- {s3, cli}; internals stay inside. */
class ArchitectureTest {
  static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.s3lfs");
  }

  @Test
  void api_dependsOnlyOnJavaBase() {
    classes().that().resideInAPackage("io.s3lfs.api..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.s3lfs.api..", "java..")
        .check(main);
  }

  @Test
  void core_neverSeesS3CliAwsOrPicocli() {
    noClasses().that().resideInAPackage("io.s3lfs.core..")
        .should().dependOnClassesThat().resideInAnyPackage("io.s3lfs.s3..", "io.s3lfs.cli..",
            "software.amazon..", "picocli..")
        .check(main);
  }

  @Test
  void onlyS3Module_touchesAwsSdk() {
    noClasses().that().resideOutsideOfPackage("io.s3lfs.s3..")
        .should().dependOnClassesThat().resideInAPackage("software.amazon..")
        .check(main);
  }

  @Test
  void cli_doesNotDependOnS3Module() {
    noClasses().that().resideInAPackage("io.s3lfs.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.s3lfs.s3..")
        .check(main);
  }

  @Test
  void internals_usedOnlyInsideTheirModule() {
    noClasses().that().resideOutsideOfPackage("io.s3lfs.core..")
        .should().dependOnClassesThat().resideInAPackage("io.s3lfs.core.internal..").check(main);
    noClasses().that().resideOutsideOfPackage("io.s3lfs.s3..")
        .should().dependOnClassesThat().resideInAPackage("io.s3lfs.s3.internal..").check(main);
    noClasses().that().resideOutsideOfPackage("io.s3lfs.api..")
        .should().dependOnClassesThat().resideInAPackage("io.s3lfs.api.internal..").check(main);
  }
}
