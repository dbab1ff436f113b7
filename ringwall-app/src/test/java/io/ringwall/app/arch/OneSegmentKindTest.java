package io.ringwall.app.arch;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.core.domain.properties.HasParameterTypes.Predicates.rawParameterTypes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node code, the simulator (which runs inside a real node for the cluster warm-up) and the Linux driver handle
 * frames in native memory only. A heap segment anywhere in a node's process makes the JIT's compiled segment
 * accesses meet a second class, and every such meeting is a class-check trap and a recompilation (see
 * {@code io.ringwall.wire.NativeFrames}). {@code MemorySegment.ofArray}, the array forms of {@code MemorySegment.copy}
 * and {@code toArray} all make heap segments; {@code NativeFrames} copies between arrays and native memory instead.
 */
class OneSegmentKindTest {
    private static JavaClasses production;

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.ringwall");
    }

    @Test
    void productionClassesFromEveryModuleAreImported() {
        for (String name : List.of("io.ringwall.node.GatewayNode", "io.ringwall.sim.SimNode",
                "io.ringwall.linux.PacketSocket", "io.ringwall.app.cli.RunCommand")) {
            org.assertj.core.api.Assertions.assertThat(production.contain(name)).as(name).isTrue();
        }
    }

    @Test
    void noHeapSegmentIsMadeOutsideTheBenchmarks() {
        DescribedPredicate<JavaClass> segment = DescribedPredicate.describe("MemorySegment",
                c -> c.isEquivalentTo(MemorySegment.class));
        noClasses().that().resideOutsideOfPackage("io.ringwall.bench..")
                .should().callMethodWhere(target(owner(segment)).and(target(name("ofArray"))))
                .orShould().callMethodWhere(target(owner(segment)).and(target(name("toArray"))))
                .orShould().callMethodWhere(target(owner(segment)).and(target(nameMatching("copy")))
                        .and(target(rawParameterTypes(DescribedPredicate.describe("an array or Object parameter",
                                (List<JavaClass> params) -> params.stream()
                                        .anyMatch(p -> p.isArray() || p.isEquivalentTo(Object.class)))))))
                .because("one segment class per process keeps the JIT's segment accesses from deoptimising")
                .check(production);
    }
}
