package io.ringwall.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md §2 rule 1: the core is pure — no I/O, no threads, no hidden time or randomness. */
class CorePurityTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.ringwall");
    }

    @Test
    void coreTouchesNoNetworkOrChannelIo() {
        ArchRule rule = noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("java.net..", "java.nio.channels..", "java.nio.file..", "java.io.File..")
                .because("protocol code is sans-I/O; drivers do the I/O");
        rule.check(core);
    }

    @Test
    void coreStartsNoThreadsAndDoesNotSleep() {
        noClasses().should().dependOnClassesThat()
                .haveFullyQualifiedName(Thread.class.getName())
                .orShould().dependOnClassesThat().resideInAnyPackage("java.util.concurrent..")
                .because("one writer per state: drivers own threads")
                .check(core);
    }

    @Test
    void coreReadsNoWallOrMonotonicClock() {
        noClasses().should().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDateTime.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .because("time is injected as nowNs")
                .check(core);
    }

    @Test
    void coreUsesNoHiddenRandomness() {
        noClasses().should().dependOnClassesThat()
                .haveFullyQualifiedName(java.util.Random.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.security.SecureRandom")
                .orShould().callMethod(Math.class, "random")
                .because("randomness is injected as io.ringwall.time.Prng")
                .check(core);
    }
}
