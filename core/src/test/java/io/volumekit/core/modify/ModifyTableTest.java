package io.volumekit.core.modify;

import static io.volumekit.core.Fixtures.DRIVER;
import static io.volumekit.core.Fixtures.csiPv;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.modify.ModifyScenario.claim;
import static io.volumekit.core.modify.ModifyScenario.vac;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.csi.CsiCode;
import io.volumekit.model.core.ModifyVolumeStatus;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimCondition;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VolumeAttributesClass at provisioning, binding and modification (docs/cases/modify.md), after the
 * external-resizer's modify controller tests ({@code modify_volume_test.go}, {@code
 * controller_test.go}) and the external-provisioner's VAC cases. Each row runs on a fresh engine
 * with the in-memory driver accepting {@code iops} and {@code throughput}.
 */
class ModifyTableTest {

  record Row(String name, Consumer<ModifyScenario> steps, Consumer<ModifyScenario> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Row row(String name, Consumer<ModifyScenario> steps, Consumer<ModifyScenario> check) {
    return new Row(name, steps, check);
  }

  /** Class "fast", classes gold (iops 100) and silver (iops 200, throughput 50), claim "data" with gold, bound. */
  static void boundGold(ModifyScenario s) {
    s.apply(sc("fast"), vac("gold", "iops", "100"), vac("silver", "iops", "200", "throughput", "50"),
        claim("data", "gold")).settle();
  }

  static Optional<ModifyVolumeStatus> status(ModifyScenario s) {
    return s.pvc("data").status().modifyVolumeStatus();
  }

  static Optional<String> current(ModifyScenario s) {
    return s.pvc("data").status().currentVolumeAttributesClassName();
  }

  static Optional<String> condition(ModifyScenario s, String type) {
    return s.pvc("data").status().conditions().stream().filter(c -> c.type().equals(type)).findFirst()
        .flatMap(PersistentVolumeClaimCondition::message);
  }

  static ModifyVolumeStatus st(String target, String status) {
    return new ModifyVolumeStatus(Optional.of(target), status);
  }

  static Stream<Row> rows() {
    return Stream.of(
        row("vac-1 a claim with a class is provisioned with its parameters as mutable_parameters",
            ModifyTableTest::boundGold,
            s -> {
              assertThat(s.creates).hasSize(1);
              assertThat(s.creates.get(0).mutableParameters()).isEqualTo(Map.of("iops", "100"));
              assertThat(s.creates.get(0).parameters()).isEmpty();
              assertThat(s.pvOf("data").spec().volumeAttributesClassName()).contains("gold");
              assertThat(current(s)).contains("gold");
              assertThat(status(s)).isEmpty();
              assertThat(s.driverParams("data")).isEqualTo(Map.of("iops", "100"));
              assertThat(s.modifies).isEmpty();
            }),
        row("vac-2 the claim's class does not exist: provisioning fails with the API error, and goes on once it is created",
            s -> {
              s.apply(sc("fast"), claim("data", "gold")).settle();
              assertThat(s.pvc("data").isBound()).isFalse();
              assertThat(s.events("data")).contains("ProvisioningFailed: failed to provision volume with StorageClass "
                  + "\"fast\": volumeattributesclasses.storage.k8s.io \"gold\" not found");
              assertThat(s.creates).isEmpty();
              s.apply(vac("gold", "iops", "100")).settle();
            },
            s -> {
              assertThat(s.pvc("data").isBound()).isTrue();
              assertThat(s.creates.get(0).mutableParameters()).isEqualTo(Map.of("iops", "100"));
            }),
        row("vac-3 a class of another driver fails provisioning",
            s -> s.apply(sc("fast"), vac("gold", "other.csi.example.com", Map.of("iops", "1")), claim("data", "gold")),
            s -> {
              assertThat(s.pvc("data").isBound()).isFalse();
              assertThat(s.events("data")).contains("ProvisioningFailed: failed to provision volume with StorageClass "
                  + "\"fast\": VAC gold referenced in PVC is for driver other.csi.example.com which does not match "
                  + "driver name " + DRIVER);
            }),
        row("m-1 gold -> silver: ControllerModifyVolume with silver's parameters; PV and current class follow",
            s -> {
              boundGold(s);
              s.switchTo("data", "silver").settle();
            },
            s -> {
              assertThat(s.modifies).hasSize(1);
              assertThat(s.modifies.get(0).mutableParameters()).isEqualTo(Map.of("iops", "200", "throughput", "50"));
              assertThat(s.modifies.get(0).volumeId()).isEqualTo(s.pvOf("data").spec().csi().orElseThrow().volumeHandle());
              assertThat(current(s)).contains("silver");
              assertThat(status(s)).isEmpty();
              assertThat(s.pvc("data").status().conditions()).isEmpty();
              assertThat(s.pvOf("data").spec().volumeAttributesClassName()).contains("silver");
              assertThat(s.driverParams("data")).isEqualTo(Map.of("iops", "200", "throughput", "50"));
              assertThat(s.events("data")).containsSubsequence(
                  "VolumeModify: external resizer is modifying volume data with vac silver",
                  "VolumeModifySuccessful: external resizer modified volume data with vac silver successfully");
            }),
        row("m-2 first class on a claim that had none (nil -> silver)",
            s -> {
              s.apply(sc("fast"), vac("silver", "iops", "200", "throughput", "50"), claim("data", "")).settle();
              assertThat(current(s)).isEmpty();
              s.switchTo("data", "silver").settle();
            },
            s -> {
              assertThat(s.modifies).hasSize(1);
              assertThat(current(s)).contains("silver");
              assertThat(s.pvOf("data").spec().volumeAttributesClassName()).contains("silver");
            }),
        row("m-3 the target class does not exist: Pending with an event, no call; its creation resumes",
            s -> {
              boundGold(s);
              s.switchTo("data", "platinum").settle();
              assertThat(status(s)).contains(st("platinum", "Pending"));
              assertThat(current(s)).contains("gold");
              assertThat(s.modifies).isEmpty();
              assertThat(s.events("data")).containsOnlyOnce("VolumeModifyFailed: VAC \"platinum\" does not exist.");
              assertThat(s.pvc("data").status().conditions()).isEmpty();
              s.apply(vac("platinum", "iops", "900")).settle();
            },
            s -> {
              assertThat(status(s)).isEmpty();
              assertThat(current(s)).contains("platinum");
              assertThat(s.driverParams("data")).isEqualTo(Map.of("iops", "900"));
            }),
        row("m-4 the driver refuses a parameter (INVALID_ARGUMENT): Infeasible, conditions, event; nothing applied",
            s -> {
              boundGold(s);
              s.apply(vac("bad", "iops", "300", "burst", "on"));
              s.switchTo("data", "bad").settle();
            },
            s -> {
              assertThat(status(s)).contains(st("bad", "Infeasible"));
              assertThat(current(s)).contains("gold");
              assertThat(s.pvOf("data").spec().volumeAttributesClassName()).contains("gold");
              assertThat(s.driverParams("data")).isEqualTo(Map.of("iops", "100"));
              assertThat(condition(s, "ModifyingVolume")).get().asString()
                  .startsWith("ModifyVolume failed with errorrpc error: code = InvalidArgument desc = mutable_parameters:")
                  .endsWith(". Waiting for retry.");
              assertThat(condition(s, "ModifyVolumeError")).get().asString()
                  .startsWith("ModifyVolume failed with error: rpc error: code = InvalidArgument");
              assertThat(s.reasons("data")).contains("VolumeModify", "VolumeModifyFailed")
                  .doesNotContain("VolumeModifySuccessful");
            }),
        row("m-5 rollback after Infeasible: the spec back to the current class modifies to it and clears the status",
            s -> {
              boundGold(s);
              s.apply(vac("bad", "burst", "on"));
              s.switchTo("data", "bad").settle();
              assertThat(status(s)).contains(st("bad", "Infeasible"));
              s.modifies.clear();
              s.switchTo("data", "gold").settle();
            },
            s -> {
              assertThat(s.modifies).hasSize(1);
              assertThat(s.modifies.get(0).mutableParameters()).isEqualTo(Map.of("iops", "100"));
              assertThat(status(s)).isEmpty();
              assertThat(current(s)).contains("gold");
              assertThat(s.pvc("data").status().conditions()).isEmpty();
              assertThat(s.reasons("data")).endsWith("VolumeModify", "VolumeModifySuccessful");
            }),
        row("m-6 after Infeasible, another feasible class is applied",
            s -> {
              boundGold(s);
              s.apply(vac("bad", "burst", "on"));
              s.switchTo("data", "bad").settle();
              s.switchTo("data", "silver").settle();
            },
            s -> {
              assertThat(status(s)).isEmpty();
              assertThat(current(s)).contains("silver");
              assertThat(s.driverParams("data")).isEqualTo(Map.of("iops", "200", "throughput", "50"));
            }),
        row("m-7 a timeout (DEADLINE_EXCEEDED, applied): stays InProgress, event, repeated to success",
            s -> {
              boundGold(s);
              s.modifyFailures.add(CsiCode.DEADLINE_EXCEEDED);
              s.switchTo("data", "silver").settle();
            },
            s -> {
              assertThat(s.modifies).hasSize(2);
              assertThat(current(s)).contains("silver");
              assertThat(status(s)).isEmpty();
              assertThat(s.events("data")).contains("VolumeModifyFailed: rpc error: code = DeadlineExceeded desc = "
                  + "injected DEADLINE_EXCEEDED. Still modifying to VAC silver");
            }),
        row("m-8 uncertain call and a new spec: the same class is repeated until its outcome is known, then the new one",
            s -> {
              boundGold(s);
              s.apply(vac("bronze", "iops", "50"));
              s.modifyFailures.add(CsiCode.UNAVAILABLE);
              s.switchTo("data", "silver");
              s.kit.settle(java.time.Duration.ZERO);
              assertThat(status(s)).contains(st("silver", "InProgress"));
              s.switchTo("data", "bronze").settle();
            },
            s -> {
              assertThat(s.modifies).extracting(r -> r.mutableParameters().get("iops")).containsExactly("200", "200", "50");
              assertThat(current(s)).contains("bronze");
              assertThat(s.driverParams("data")).isEqualTo(Map.of("iops", "50", "throughput", "50"));
            }),
        row("m-9 a final error other than INVALID_ARGUMENT (INTERNAL): InProgress with ModifyVolumeError, retried",
            s -> {
              boundGold(s);
              s.modifyFailures.add(CsiCode.INTERNAL);
              s.switchTo("data", "silver");
              s.kit.settle(java.time.Duration.ZERO);
              assertThat(status(s)).contains(st("silver", "InProgress"));
              assertThat(condition(s, "ModifyVolumeError")).isPresent();
              s.settle();
            },
            s -> {
              assertThat(s.modifies).hasSize(2);
              assertThat(current(s)).contains("silver");
              assertThat(s.pvc("data").status().conditions()).isEmpty();
            }),
        row("m-10 a driver without MODIFY_VOLUME: Pending with a Warning, no call, class not applied",
            s -> {
              ModifyScenario t = new ModifyScenario(false);
              boundGold(t);
              t.switchTo("data", "silver").settle();
              assertThat(t.modifies).isEmpty();
              assertThat(t.pvc("data").status().modifyVolumeStatus()).contains(st("silver", "Pending"));
              assertThat(t.pvc("data").status().currentVolumeAttributesClassName()).contains("gold");
              assertThat(t.events("data")).anyMatch(e -> e.startsWith("VolumeModifyFailed: CSI driver " + DRIVER
                  + " does not support ControllerModifyVolume"));
            },
            s -> { }),
        row("m-11 an unbound claim is not modified",
            s -> {
              s.apply(vac("gold", "iops", "100"), vac("silver", "iops", "200"),
                  io.volumekit.core.Fixtures.withClass(claim("data", "gold"), "")).settle();
              s.switchTo("data", "silver").settle();
            },
            s -> {
              assertThat(s.pvc("data").isBound()).isFalse();
              assertThat(s.modifies).isEmpty();
              assertThat(status(s)).isEmpty();
            }),
        row("b-1 a static PV binds only to a claim naming its VolumeAttributesClass; current class set at bind",
            s -> {
              PersistentVolume gold = csiPv("pv-gold", "1Gi", "h-gold");
              gold = gold.withSpec(gold.spec().withVolumeAttributesClassName(Optional.of("gold")));
              PersistentVolume plain = csiPv("pv-plain", "1Gi", "h-plain");
              PersistentVolumeClaim wantsGold = pvc("data", "1Gi");
              wantsGold = wantsGold.withSpec(wantsGold.spec().withVolumeAttributesClassName(Optional.of("gold")));
              PersistentVolumeClaim wantsSilver = pvc("other", "1Gi");
              wantsSilver = wantsSilver.withSpec(wantsSilver.spec().withVolumeAttributesClassName(Optional.of("silver")));
              s.apply(gold, plain, vac("gold", "iops", "100"), wantsSilver).settle();
              assertThat(s.pvc("other").isBound()).isFalse();
              s.apply(wantsGold).settle();
            },
            s -> {
              assertThat(s.pvc("data").volumeName()).contains("pv-gold");
              assertThat(current(s)).contains("gold");
              assertThat(status(s)).isEmpty();
              assertThat(s.modifies).isEmpty();
              assertThat(s.pvc("other").isBound()).isFalse();
            }),
        row("b-2 a claim without a class does not bind a PV that has one",
            s -> {
              PersistentVolume gold = csiPv("pv-gold", "1Gi", "h-gold");
              gold = gold.withSpec(gold.spec().withVolumeAttributesClassName(Optional.of("gold")));
              s.apply(gold, pvc("data", "1Gi")).settle();
            },
            s -> {
              assertThat(s.pvc("data").isBound()).isFalse();
              assertThat(current(s)).isEmpty();
            }),
        row("b-3 a claim pre-bound to a PV of another class: VolumeMismatch",
            s -> {
              PersistentVolume gold = csiPv("pv-gold", "1Gi", "h-gold");
              gold = gold.withSpec(gold.spec().withVolumeAttributesClassName(Optional.of("gold")));
              PersistentVolumeClaim c = io.volumekit.core.Fixtures.withVolumeName(pvc("data", "1Gi"), "pv-gold");
              c = c.withSpec(c.spec().withVolumeAttributesClassName(Optional.of("silver")));
              s.apply(gold, c).settle();
            },
            s -> {
              assertThat(s.pvc("data").isBound()).isFalse();
              assertThat(s.events("data")).contains(
                  "VolumeMismatch: Cannot bind to requested volume \"pv-gold\": volumeAttributesClassName does not match");
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void row(Row row) {
    ModifyScenario s = new ModifyScenario();
    row.steps().accept(s);
    s.settle();
    row.check().accept(s);
  }
}
