package org.clinical.command;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Aggregates, their rules and the ports they need are plain Java plus Axon: Spring, JDBC and HTTP live in
 * the {@code jdbc} and {@code web} sub-packages and in {@code config}, which depend on the domain, never
 * the other way round.
 */
@AnalyzeClasses(packages = "org.clinical.command", importOptions = ImportOption.DoNotIncludeTests.class)
class NoSpringInDomainLogicTest {

    /** Exactly these packages: their {@code jdbc} and {@code web} sub-packages are adapters. */
    private static final String[] DOMAIN_PACKAGES = {
            "org.clinical.command.tenant",
            "org.clinical.command.facility",
            "org.clinical.command.patient",
            "org.clinical.command.encounter",
            "org.clinical.command.observation"};

    @ArchTest
    static final ArchRule domain_logic_does_not_depend_on_spring = noClasses()
            .that().resideInAnyPackage(DOMAIN_PACKAGES)
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..");

    @ArchTest
    static final ArchRule domain_logic_does_not_depend_on_its_adapters = noClasses()
            .that().resideInAnyPackage(DOMAIN_PACKAGES)
            .should().dependOnClassesThat().resideInAnyPackage("..jdbc..", "..web..");
}
