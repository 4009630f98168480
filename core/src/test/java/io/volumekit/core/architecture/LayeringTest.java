package io.volumekit.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of core's packages (docs/architecture.md, "Layers"): no package cycles, so there is
 * always a lower layer to read first; and the controller packages stay pure functions of state and
 * event, with no file system, no wall clock, no logging and no randomness of their own.
 */
class LayeringTest {

  /** The packages holding controllers: Kubernetes' control loops, pure. */
  static final String[] CONTROLLER_PACKAGES = {
    "io.volumekit.core.binding..",
    "io.volumekit.core.provisioning..",
    "io.volumekit.core.reclaim..",
    "io.volumekit.core.protection..",
    "io.volumekit.core.attach..",
    "io.volumekit.core.mount..",
    "io.volumekit.core.ephemeral..",
    "io.volumekit.core.scheduling..",
    "io.volumekit.core.gc..",
    "io.volumekit.core.modify..",
    "io.volumekit.core.workload..",
    "io.volumekit.core.health..",
    "io.volumekit.core.expansion..",
    "io.volumekit.core.populator..",
    "io.volumekit.core.groupsnapshot..",
    "io.volumekit.core.snapshot..",
    "io.volumekit.core.datasource..",
    "io.volumekit.core.selinuxwarning..",
  };

  static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.volumekit.core");

  /** One slice per package directly under io.volumekit.core, and one for io.volumekit.core itself. */
  static final SliceAssignment CORE_PACKAGES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String pkg = javaClass.getPackageName();
      if (pkg.equals("io.volumekit.core")) {
        return SliceIdentifier.of("io.volumekit.core");
      }
      if (pkg.startsWith("io.volumekit.core.")) {
        return SliceIdentifier.of(pkg.substring("io.volumekit.core.".length()).split("\\.")[0]);
      }
      return SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "core's packages";
    }
  };

  @Test
  void corePackagesFormNoCycle() {
    slices().assignedFrom(CORE_PACKAGES).should().beFreeOfCycles().check(CORE);
  }

  /**
   * Listed exception: {@code mount.PodVolumes} reads the host (it resolves subPath symlinks) for
   * callers asking where a pod's mounts are; it is a query, not a controller, and is to move out of
   * mount into a node-side query package.
   */
  static final DescribedPredicate<JavaClass> READS_THE_HOST =
      DescribedPredicate.describe("mount.PodVolumes", c -> c.getName().startsWith("io.volumekit.core.mount.PodVolumes"));

  @Test
  void controllersDoNoFileSystemIo() {
    noClasses().that().resideInAnyPackage(CONTROLLER_PACKAGES).and(DescribedPredicate.not(READS_THE_HOST))
        .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("java.nio.file..")
            .and(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(Path.class))))
        .orShould().callMethod(Path.class, "toRealPath", LinkOption[].class)
        .orShould().callMethod(Path.class, "toFile")
        .because("the runtime performs effects; a controller only names the kubelet's paths in them"
            + " (a Path is a value; Files, file systems and the real path are I/O)")
        .check(CORE);
  }

  @Test
  void controllersReadNoClock() {
    noClasses().that().resideInAnyPackage(CONTROLLER_PACKAGES)
        .should().dependOnClassesThat().areAssignableTo(Clock.class)
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .because("a controller gets the time from its input (the event's or the state's now), so a run replays")
        .check(CORE);
  }

  @Test
  void controllersDoNotLog() {
    noClasses().that().resideInAnyPackage(CONTROLLER_PACKAGES)
        .should().dependOnClassesThat().resideInAPackage("org.slf4j..")
        .because("a controller reports through Kubernetes Events and conditions in its decision; the runtime logs")
        .check(CORE);
  }

  @Test
  void controllersUseNoRandomness() {
    noClasses().that().resideInAnyPackage(CONTROLLER_PACKAGES)
        .should().dependOnClassesThat().areAssignableTo(Random.class)
        .orShould().dependOnClassesThat().areAssignableTo(ThreadLocalRandom.class)
        .orShould().dependOnClassesThat().areAssignableTo(SecureRandom.class)
        .orShould().callMethod(java.util.UUID.class, "randomUUID")
        .orShould().callMethod(Math.class, "random")
        .because("the same state and event must give the same decision (uids come from the store's Ids)")
        .check(CORE);
  }

  @Test
  void publicSignaturesShowNoPersistentCollections() {
    ArchCondition<JavaCodeUnit> noPcollections = new ArchCondition<>("not expose org.pcollections types") {
      @Override
      public void check(JavaCodeUnit unit, ConditionEvents events) {
        Stream.concat(Stream.of(unit.getReturnType()), unit.getParameterTypes().stream())
            .flatMap(t -> t.getAllInvolvedRawTypes().stream())
            .filter(t -> t.getPackageName().startsWith("org.pcollections"))
            .forEach(t -> events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " exposes " + t.getName())));
      }
    };
    codeUnits().that().arePublic().and().areDeclaredInClassesThat().arePublic()
        .should(noPcollections)
        .because("the persistent collections are how the state is kept (O(log n) updates), not part of the API:"
            + " public signatures use JDK and Guava interfaces")
        .check(CORE);
  }
}
