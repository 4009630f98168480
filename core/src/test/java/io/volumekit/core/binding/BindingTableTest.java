package io.volumekit.core.binding;

import static io.volumekit.core.Fixtures.*;
import static io.volumekit.core.TableCase.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.TableCase;
import io.volumekit.core.api.Annotations;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.LabelSelector;
import io.volumekit.model.quantity.Quantity;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Binding, table-driven after the case groups of Kubernetes' binder tests (docs/cases/binding.md,
 * whose rows name these ids): set 1 unbound claims, set 2 claims pre-bound by volumeName, set 3 bound claims, set 4
 * volume sync, 13-x classes, 14-x volume modes; plus defaulting and access-mode groups.
 */
class BindingTableTest {

  static Stream<TableCase> cases() {
    return Stream.of(
        row("1-1 binds an available volume to a pending claim",
            s -> s.apply(pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), "")),
            s -> {
              s.assertBound("c1", "pv1");
              assertThat(s.pv("pv1").metadata().annotations()).containsEntry(Annotations.BOUND_BY_CONTROLLER, "yes");
              assertThat(s.pvc("c1").metadata().annotations())
                  .containsEntry(Annotations.BOUND_BY_CONTROLLER, "yes").containsEntry(Annotations.BIND_COMPLETED, "yes");
              assertThat(s.pvc("c1").status().accessModes()).containsExactly(RWO);
              assertThat(s.pvc("c1").status().capacity().get("storage")).isEqualTo(Quantity.parse("1Gi"));
              assertThat(s.pvcReasons("c1")).isEmpty();
            }),
        row("1-2 does not bind a too small volume and reports FailedBinding",
            s -> s.apply(pv("pv1", "1Gi"), withClass(pvc("c1", "10Gi"), "")),
            s -> {
              s.assertPending("c1");
              assertThat(s.pv("pv1").phase()).isEqualTo("Available");
              assertThat(s.pvcEvents("c1")).containsExactly(
                  "FailedBinding: no persistent volumes available for this claim and no storage class is set");
            }),
        row("1-4 binds the smallest fitting volume",
            s -> s.apply(pv("pv10", "10Gi"), pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), "")),
            s -> {
              s.assertBound("c1", "pv1");
              assertThat(s.pv("pv10").phase()).isEqualTo("Available");
            }),
        row("1-4b compares capacities by value not by string (1Gi < 1100Mi)",
            s -> s.apply(pv("a-1100mi", "1100Mi"), pv("b-1gi", "1Gi"), withClass(pvc("c1", "1G"), "")),
            s -> s.assertBound("c1", "b-1gi")),
        row("1-4c breaks capacity ties by volume name",
            s -> s.apply(pv("pv-b", "1Gi"), pv("pv-a", "1Gi"), withClass(pvc("c1", "1Gi"), "")),
            s -> s.assertBound("c1", "pv-a")),
        row("1-5 binds a bigger volume pre-bound by name before a smaller free one",
            s -> s.apply(preBound(pv("pv10", "10Gi"), "c1", ""), pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), "")),
            s -> {
              s.assertBound("c1", "pv10");
              assertThat(s.pv("pv10").metadata().annotations()).doesNotContainKey(Annotations.BOUND_BY_CONTROLLER);
              assertThat(s.pvc("c1").metadata().annotations()).containsKey(Annotations.BOUND_BY_CONTROLLER);
              assertThat(s.pvc("c1").status().capacity().get("storage")).isEqualTo(Quantity.parse("10Gi"));
            }),
        row("1-6 binds a volume pre-bound by name and uid",
            s -> {
              s.apply(withClass(pvc("c1", "1Gi"), ""));
              s.apply(preBound(pv("pv10", "10Gi"), "c1", s.uid("c1")), pv("pv1", "1Gi"));
            },
            s -> {
              s.assertBound("c1", "pv10");
              assertThat(s.pv("pv10").metadata().annotations()).doesNotContainKey(Annotations.BOUND_BY_CONTROLLER);
            }),
        row("1-7 does not bind a volume pre-bound to the same name with another uid",
            s -> s.apply(preBound(pv("pv1", "1Gi"), "c1", "other-uid"), withClass(pvc("c1", "1Gi"), "")),
            s -> {
              s.assertPending("c1");
              assertThat(s.pv("pv1").phase()).isEqualTo("Released");
            }),
        row("1-8 completes a binding interrupted after the PV write (crash recovery)",
            s -> {
              s.apply(withClass(pvc("c1", "1Gi"), ""));
              PersistentVolume p = preBound(pv("pv1", "1Gi"), "c1", s.uid("c1"));
              s.apply(p.withMetadata(p.metadata().withAnnotation(Annotations.BOUND_BY_CONTROLLER, "yes")));
            },
            s -> s.assertBound("c1", "pv1")),
        row("1-12 does not bind when the selector does not match the labels",
            s -> s.apply(withLabels(pv("pv1", "1Gi"), "tier", "gold"),
                withClass(pvc("c1", "1Gi"), "").withSpec(withClass(pvc("c1", "1Gi"), "").spec()
                    .withSelector(Optional.of(LabelSelector.of(ImmutableMap.of("tier", "silver")))))),
            s -> {
              s.assertPending("c1");
              assertThat(s.pvcReasons("c1")).containsExactly("FailedBinding");
            }),
        row("1-12b binds when the selector matches the labels",
            s -> s.apply(withLabels(pv("pv1", "1Gi"), "tier", "gold"), withLabels(pv("pv0", "1Gi"), "tier", "silver"),
                withClass(pvc("c1", "1Gi"), "").withSpec(withClass(pvc("c1", "1Gi"), "").spec()
                    .withSelector(Optional.of(LabelSelector.of(ImmutableMap.of("tier", "gold")))))),
            s -> s.assertBound("c1", "pv1")),
        row("1-13 waits for the first consumer instead of binding a WFFC claim",
            s -> s.apply(wffc(sc("local", "kubernetes.io/no-provisioner")), withClass(pv("pv1", "1Gi"), "local"),
                withClass(pvc("c1", "1Gi"), "local")),
            s -> {
              s.assertPending("c1");
              assertThat(s.pvcEvents("c1")).containsExactly(
                  "WaitForFirstConsumer: waiting for first consumer to be created before binding");
            }),
        row("1-13b reports WaitForPodScheduled while the consumer is not scheduled",
            s -> {
              var p = pod("web", "", "c1");
              s.apply(wffc(sc("local", "kubernetes.io/no-provisioner")), withClass(pv("pv1", "1Gi"), "local"),
                  withClass(pvc("c1", "1Gi"), "local"),
                  // a node selector no node matches keeps the pod unscheduled
                  p.withSpec(p.spec().withNodeSelector(ImmutableMap.of("disktype", "none"))));
            },
            s -> {
              s.assertPending("c1");
              assertThat(s.pvcEvents("c1")).contains("WaitForPodScheduled: waiting for pods web to be scheduled");
            }),
        row("1-13c binds a WFFC claim once its consumer is on a node",
            s -> s.apply(wffc(sc("local", "kubernetes.io/no-provisioner")), withClass(pv("pv1", "1Gi"), "local"),
                withClass(pvc("c1", "1Gi"), "local"), pod("web", "node-1", "c1")),
            s -> {
              s.assertBound("c1", "pv1");
              assertThat(s.pv("pv1").metadata().annotations()).containsKey(Annotations.BOUND_BY_CONTROLLER);
            }),
        row("1-14 binds a WFFC claim to a volume pre-bound to it at once",
            s -> s.apply(wffc(sc("local", "kubernetes.io/no-provisioner")),
                preBound(withClass(pv("pv1", "1Gi"), "local"), "c1", ""), withClass(pvc("c1", "1Gi"), "local")),
            s -> s.assertBound("c1", "pv1")),
        row("1-17 offers no volume that is not Available (Released)",
            s -> {
              s.apply(withClass(pvc("old", "1Gi"), ""), pv("pv1", "1Gi"));
              s.settle();
              s.delete(pvcKey("old"));
              s.settle();
              s.apply(withClass(pvc("c1", "1Gi"), ""));
            },
            s -> {
              assertThat(s.pv("pv1").phase()).isEqualTo("Released");
              s.assertPending("c1");
            }),
        row("2-1 keeps a claim naming a missing volume Pending and says why, once",
            s -> {
              s.apply(withVolumeName(withClass(pvc("c1", "1Gi"), ""), "missing"));
              s.settle();
              // another sync of the same claim (a label change) does not repeat the event
              PersistentVolumeClaim c = s.pvc("c1");
              s.apply(c.withMetadata(c.metadata().withLabels(ImmutableMap.of("touched", "yes"))));
            },
            s -> {
              assertThat(s.pvc("c1").phase()).isEqualTo("Pending");
              assertThat(s.pvcEvents("c1")).containsExactly(
                  "FailedBinding: volume \"missing\" requested and not found, waiting for it to be created");
              assertThat(s.kit.list(Event.class)).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(1));
            }),
        row("2-1b binds a claim naming a missing volume once the volume is created",
            s -> {
              s.apply(withVolumeName(withClass(pvc("c1", "1Gi"), ""), "pv1"));
              s.settle();
              s.apply(pv("pv1", "1Gi"));
            },
            s -> s.assertBound("c1", "pv1")),
        row("2-3 binds a claim to the free volume it names",
            s -> s.apply(pv("pv10", "10Gi"), pv("pv1", "1Gi"), withVolumeName(withClass(pvc("c1", "1Gi"), ""), "pv10")),
            s -> {
              s.assertBound("c1", "pv10");
              assertThat(s.pv("pv10").metadata().annotations()).containsKey(Annotations.BOUND_BY_CONTROLLER);
              assertThat(s.pvc("c1").metadata().annotations()).doesNotContainKey(Annotations.BOUND_BY_CONTROLLER)
                  .containsKey(Annotations.BIND_COMPLETED);
            }),
        row("2-4 binds a claim and a volume pre-bound to each other without bound-by-controller",
            s -> s.apply(preBound(pv("pv1", "1Gi"), "c1", ""), withVolumeName(withClass(pvc("c1", "1Gi"), ""), "pv1")),
            s -> {
              s.assertBound("c1", "pv1");
              assertThat(s.pv("pv1").metadata().annotations()).doesNotContainKey(Annotations.BOUND_BY_CONTROLLER);
              assertThat(s.pvc("c1").metadata().annotations()).doesNotContainKey(Annotations.BOUND_BY_CONTROLLER);
            }),
        row("2-6 keeps a claim Pending when the volume it names is bound to another claim",
            s -> {
              s.apply(pv("pv1", "1Gi"), withClass(pvc("other", "1Gi"), ""));
              s.settle();
              s.apply(withVolumeName(withClass(pvc("c1", "1Gi"), ""), "pv1"));
            },
            s -> {
              s.assertBound("other", "pv1");
              assertThat(s.pvc("c1").phase()).isEqualTo("Pending");
              assertThat(s.pvcEvents("c1")).contains("FailedBinding: volume \"pv1\" already bound to a different claim.");
            }),
        row("2-8 binds a claim to the volume it names even if the selector does not match",
            s -> s.apply(withLabels(pv("pv1", "1Gi"), "tier", "gold"), withVolumeName(withClass(pvc("c1", "1Gi"), ""), "pv1")
                .withSpec(withVolumeName(withClass(pvc("c1", "1Gi"), ""), "pv1").spec()
                    .withSelector(Optional.of(LabelSelector.of(ImmutableMap.of("tier", "silver")))))),
            s -> s.assertBound("c1", "pv1")),
        row("2-9 reports VolumeMismatch when the named volume is too small",
            s -> s.apply(pv("pv1", "1Gi"), withVolumeName(withClass(pvc("c1", "2Gi"), ""), "pv1")),
            s -> {
              assertThat(s.pvc("c1").phase()).isEqualTo("Pending");
              assertThat(s.pvcEvents("c1")).containsExactly(
                  "VolumeMismatch: Cannot bind to requested volume \"pv1\": requested PV is too small");
            }),
        row("2-10 reports VolumeMismatch when the named volume has another class",
            s -> s.apply(withClass(pv("pv1", "1Gi"), "gold"), withVolumeName(withClass(pvc("c1", "1Gi"), ""), "pv1")),
            s -> assertThat(s.pvcEvents("c1")).containsExactly(
                "VolumeMismatch: Cannot bind to requested volume \"pv1\": storageClassName does not match")),
        row("2-10b reports VolumeMismatch for incompatible access modes",
            s -> s.apply(pv("pv1", "1Gi"), withModes(withVolumeName(withClass(pvc("c1", "1Gi"), ""), "pv1"), RWX)),
            s -> assertThat(s.pvcEvents("c1")).containsExactly(
                "VolumeMismatch: Cannot bind to requested volume \"pv1\": incompatible accessMode")),
        row("2-10c reports VolumeMismatch for a volume being deleted",
            s -> {
              PersistentVolume p = pv("pv1", "1Gi");
              s.apply(p.withMetadata(p.metadata().withFinalizer("example.com/hold")));
              s.delete(pvKey("pv1")); // the finalizer keeps it with a deletionTimestamp
              s.apply(withVolumeName(withClass(pvc("c1", "1Gi"), ""), "pv1"));
            },
            s -> {
              assertThat(s.pv("pv1").metadata().isDeleting()).isTrue();
              assertThat(s.pvcEvents("c1")).containsExactly(
                  "VolumeMismatch: Cannot bind to requested volume \"pv1\": the volume is marked for deletion pv1");
            }),
        row("3-1 marks a bound claim whose volumeName was cleared Lost",
            s -> {
              s.apply(pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              PersistentVolumeClaim c = s.pvc("c1");
              // Only a write that skips validation can clear a bound claim's volumeName.
              s.writeAsController(c.withSpec(c.spec().withVolumeName(Optional.of(""))));
            },
            s -> {
              assertThat(s.pvc("c1").phase()).isEqualTo("Lost");
              assertThat(s.pvcEvents("c1")).contains(
                  "ClaimLost: Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
            }),
        row("3-2 marks a bound claim whose volume vanished Lost",
            s -> {
              s.apply(pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              PersistentVolume p = s.pv("pv1");
              s.kit.runtime().submit(new io.volumekit.core.event.Event.Applied(
                  p.withMetadata(p.metadata().withFinalizers(com.google.common.collect.ImmutableList.of()))));
              s.delete(pvKey("pv1"));
            },
            s -> {
              assertThat(s.pvc("c1").phase()).isEqualTo("Lost");
              assertThat(s.pvc("c1").status().accessModes()).isEmpty();
              assertThat(s.pvcEvents("c1")).contains(
                  "ClaimLost: Bound claim has lost its PersistentVolume. Data on the volume is lost!");
            }),
        row("3-3 rebinds a bound claim whose volume lost its claimRef",
            s -> {
              s.apply(pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              PersistentVolume p = s.pv("pv1");
              s.apply(p.withSpec(p.spec().withClaimRef(Optional.empty())));
            },
            s -> s.assertBound("c1", "pv1")),
        row("3-4 marks a bound claim whose volume points at another claim ClaimMisbound",
            s -> {
              s.apply(pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              PersistentVolume p = s.pv("pv1");
              s.apply(preBound(p, "c2", "uid-c2"));
            },
            s -> {
              assertThat(s.pvc("c1").phase()).isEqualTo("Lost");
              assertThat(s.pvcEvents("c1")).contains(
                  "ClaimMisbound: Two claims are bound to the same volume, this one is bound incorrectly");
            }),
        row("4-1 makes a new free volume Available",
            s -> s.apply(pv("pv1", "1Gi")),
            s -> {
              assertThat(s.pv("pv1").phase()).isEqualTo("Available");
              assertThat(s.pv("pv1").status().lastPhaseTransitionTime()).isPresent();
            }),
        row("4-2 makes a volume pre-bound to a missing claim Available",
            s -> s.apply(preBound(pv("pv1", "1Gi"), "nobody", "")),
            s -> assertThat(s.pv("pv1").phase()).isEqualTo("Available")),
        row("4-3 releases a Retain volume whose claim was deleted",
            s -> {
              s.apply(pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.hasPvc("c1")).isFalse();
              assertThat(s.pv("pv1").phase()).isEqualTo("Released");
              assertThat(s.pv("pv1").spec().claimRef().flatMap(r -> r.uid())).isPresent();
            }),
        row("4-4 releases a volume whose claim was recreated with another uid",
            s -> {
              s.apply(pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              s.delete(pvcKey("c1"));
              s.settle();
              s.apply(withClass(pvc("c1", "1Gi"), ""));
            },
            s -> {
              assertThat(s.pv("pv1").phase()).isEqualTo("Released");
              assertThat(s.pvc("c1").phase()).isEqualTo("Pending");
            }),
        row("4-7 frees a controller-bound volume whose claim is bound elsewhere",
            s -> {
              s.apply(withClass(pvc("c1", "1Gi"), ""), pv("pv2", "1Gi"));
              s.settle();
              PersistentVolume p = preBound(pv("pv1", "1Gi"), "c1", s.uid("c1"));
              s.apply(p.withMetadata(p.metadata().withAnnotation(Annotations.BOUND_BY_CONTROLLER, "yes")));
            },
            s -> {
              s.assertBound("c1", "pv2");
              assertThat(s.pv("pv1").phase()).isEqualTo("Available");
              assertThat(s.pv("pv1").spec().claimRef()).isEmpty();
              assertThat(s.pv("pv1").metadata().annotations()).doesNotContainKey(Annotations.BOUND_BY_CONTROLLER);
            }),
        row("4-8 clears only the uid of a user pre-bound volume whose claim is bound elsewhere",
            s -> {
              s.apply(withClass(pvc("c1", "1Gi"), ""), pv("pv2", "1Gi"));
              s.settle();
              s.apply(preBound(pv("pv1", "1Gi"), "c1", s.uid("c1")));
            },
            s -> {
              assertThat(s.pv("pv1").phase()).isEqualTo("Available");
              assertThat(s.pv("pv1").spec().claimRef().map(r -> r.nameOrEmpty())).contains("c1");
              assertThat(s.pv("pv1").spec().claimRef().flatMap(r -> r.uid())).isEmpty();
            }),
        row("13-1 binds only a volume of the claim's class",
            s -> s.apply(withClass(pv("small-silver", "1Gi"), "silver"), withClass(pv("big-gold", "10Gi"), "gold"),
                sc("gold", "example.com/external"), withClass(pvc("c1", "1Gi"), "gold")),
            s -> s.assertBound("c1", "big-gold")),
        row("13-2 binds a class-less claim to a class-less volume only",
            s -> s.apply(withClass(pv("small-gold", "1Gi"), "gold"), pv("big-none", "10Gi"), pvc("c1", "1Gi")),
            s -> s.assertBound("c1", "big-none")),
        row("14-3 does not bind across volume modes",
            s -> {
              PersistentVolume p = pv("pv1", "1Gi");
              s.apply(p.withSpec(p.spec().withVolumeMode(Optional.of("Block"))), withClass(pvc("c1", "1Gi"), ""));
            },
            s -> {
              s.assertPending("c1");
              assertThat(s.pvcReasons("c1")).containsExactly("FailedBinding");
            }),
        row("14-4 binds a Block claim to a Block volume",
            s -> {
              PersistentVolume p = pv("pv1", "1Gi");
              PersistentVolumeClaim c = withClass(pvc("c1", "1Gi"), "");
              s.apply(p.withSpec(p.spec().withVolumeMode(Optional.of("Block"))), pv("pv0", "1Gi"),
                  c.withSpec(c.spec().withVolumeMode(Optional.of("Block"))));
            },
            s -> s.assertBound("c1", "pv1")),
        row("14-5 reports ProvisioningFailed for a missing class after no volume matched",
            s -> s.apply(withClass(pvc("c1", "1Gi"), "gold")),
            s -> assertThat(s.pvcEvents("c1")).containsExactly(
                "ProvisioningFailed: storageclass.storage.k8s.io \"gold\" not found")),
        row("14-8 reports VolumeMismatch on a pre-bound volume with another volume mode",
            s -> {
              PersistentVolume p = preBound(pv("pv1", "1Gi"), "c1", "");
              s.apply(p.withSpec(p.spec().withVolumeMode(Optional.of("Block"))), withClass(pvc("c1", "1Gi"), ""));
            },
            s -> {
              s.assertPending("c1");
              assertThat(s.pvcReasons("c1")).contains("FailedBinding");
            }),
        row("am-1 prefers the access-mode group with fewest modes over a smaller volume",
            s -> s.apply(withModes(pv("small-rwo-rox", "1Gi"), RWO, ROX), pv("big-rwo", "5Gi"), withClass(pvc("c1", "1Gi"), "")),
            s -> s.assertBound("c1", "big-rwo")),
        row("am-2 never lets ReadWriteMany stand in for ReadWriteOnce",
            s -> s.apply(withModes(pv("rwx", "1Gi"), RWX), withClass(pvc("c1", "1Gi"), "")),
            s -> s.assertPending("c1")),
        row("dc-1 gives a new class-less claim the default class",
            s -> s.apply(asDefault(sc("standard")), pvc("c1", "1Gi")),
            s -> {
              assertThat(s.pvc("c1").spec().storageClassName()).contains("standard");
              assertThat(s.pvc("c1").phase()).isEqualTo("Bound");
            }),
        row("dc-2 assigns the default class retroactively to a claim created before it",
            s -> {
              s.apply(pvc("c1", "1Gi"));
              s.settle();
              s.apply(asDefault(sc("standard")));
            },
            s -> {
              assertThat(s.pvc("c1").spec().storageClassName()).contains("standard");
              assertThat(s.pvc("c1").phase()).isEqualTo("Bound");
            }),
        row("dc-3 never defaults an explicit empty class",
            s -> s.apply(asDefault(sc("standard")), withClass(pvc("c1", "1Gi"), "")),
            s -> {
              assertThat(s.pvc("c1").spec().storageClassName()).contains("");
              s.assertPending("c1");
            }),
        row("lt-1 binds a pending claim when a fitting volume appears later",
            s -> {
              s.apply(withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              s.apply(pv("pv1", "1Gi"));
            },
            s -> s.assertBound("c1", "pv1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void binding(TableCase c) {
    c.run();
  }
}
