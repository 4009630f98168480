package io.volumekit.core.reclaim;

import static io.volumekit.core.Fixtures.*;
import static io.volumekit.core.TableCase.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.Scenario;
import io.volumekit.core.TableCase;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Finalizers;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.SecretBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.model.storage.VolumeAttachmentSource;
import io.volumekit.model.storage.VolumeAttachmentSpec;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reclaim and deletion (docs/cases/reclaim.md; 8-x after Kubernetes' delete tests). */
class ReclaimTableTest {

  /** A claim of class fast provisioned and bound; returns the PV name. */
  static String provisioned(Scenario s, String claim) {
    s.apply(sc("fast"), withClass(pvc(claim, "1Gi"), "fast"));
    s.settle();
    return "pvc-" + s.uid(claim);
  }

  /** A volume made in the driver directly, for static CSI PVs. */
  static String backing(Scenario s, String name) {
    return s.memory.createVolume(CreateVolumeRequest.of(name, 1L << 30,
        VolumeCapability.mount("", io.volumekit.core.csi.AccessMode.SINGLE_NODE_WRITER))).volume().volumeId();
  }

  static Stream<TableCase> cases() {
    return Stream.of(
        row("8-1 deletes the backing volume and the PV of a released Delete volume",
            s -> {
              provisioned(s, "c1");
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.kit.list(PersistentVolume.class)).isEmpty();
              assertThat(s.driverVolumes()).isEmpty();
              assertThat(s.faults.deleteCalls).isEqualTo(1);
              assertThat(s.kit.state().operations()).isEmpty();
            }),
        row("4-3 keeps a released Retain volume and its data",
            s -> {
              String id = backing(s, "vol-a");
              s.apply(csiPv("pv1", "1Gi", id), withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.pv("pv1").phase()).isEqualTo("Released");
              assertThat(s.driverVolumes()).hasSize(1);
              assertThat(s.faults.deleteCalls).isZero();
            }),
        row("8-1b deletes a static CSI volume of a registered driver with policy Delete",
            s -> {
              String id = backing(s, "vol-a");
              s.apply(withPolicy(csiPv("pv1", "1Gi", id), "Delete"), withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.hasPv("pv1")).isFalse();
              assertThat(s.driverVolumes()).isEmpty();
            }),
        row("8-3 fails a Delete volume no plugin can delete",
            s -> {
              s.apply(withPolicy(pv("pv1", "1Gi"), "Delete"), withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.pv("pv1").phase()).isEqualTo("Failed");
              assertThat(s.pv("pv1").status().message())
                  .contains("error getting deleter volume plugin for volume \"pv1\": no volume plugin matched");
              assertThat(s.pvReasons("pv1")).containsExactly("VolumeFailedDelete");
            }),
        row("8-3b fails an in-tree provisioned Delete volume and lets its deletion complete",
            s -> {
              PersistentVolume p = withPolicy(pv("pv1", "1Gi"), "Delete");
              s.apply(p.withMetadata(p.metadata().withAnnotation(Annotations.PROVISIONED_BY, "kubernetes.io/glusterfs")),
                  withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              assertThat(s.pv("pv1").metadata().finalizers()).contains(Finalizers.PV_CONTROLLER);
              s.delete(pvKey("pv1")); // pv-protection keeps the bound PV
              s.settle();
              assertThat(s.pv("pv1").phase()).isEqualTo("Bound");
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.hasPv("pv1")).isFalse();
              assertThat(s.pvEvents("pv1")).containsExactly(
                  "VolumeFailedDelete: no volume plugin matched name: kubernetes.io/glusterfs");
            }),
        row("8-3c fails an in-tree provisioned Delete volume, and a later delete of the Failed PV completes",
            s -> {
              PersistentVolume p = withPolicy(pv("pv1", "1Gi"), "Delete");
              s.apply(p.withMetadata(p.metadata().withAnnotation(Annotations.PROVISIONED_BY, "kubernetes.io/glusterfs")),
                  withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              s.delete(pvcKey("c1"));
              s.settle();
              assertThat(s.pv("pv1").phase()).isEqualTo("Failed");
              assertThat(s.pv("pv1").status().message()).contains("no volume plugin matched name: kubernetes.io/glusterfs");
              assertThat(s.pv("pv1").metadata().finalizers()).contains(Finalizers.PV_CONTROLLER);
              s.delete(pvKey("pv1"));
            },
            s -> assertThat(s.hasPv("pv1")).isFalse()),
        row("4-4 refuses the deprecated Recycle policy with a clear message",
            s -> {
              s.apply(withPolicy(pv("pv1", "1Gi"), "Recycle"), withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.pv("pv1").phase()).isEqualTo("Failed");
              assertThat(s.pvEvents("pv1")).singleElement().asString()
                  .startsWith("VolumeFailedRecycle: No recycler plugin found for the volume!")
                  .contains("deprecated");
            }),
        row("8-10 leaves a Delete volume of an unregistered CSI driver Released",
            s -> {
              PersistentVolume p = withPolicy(csiPv("pv1", "1Gi", "h1"), "Delete");
              s.apply(p.withSpec(p.spec().withCsi(p.spec().csi().map(c -> c.withDriver("other.csi.example.com")))),
                  withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.pv("pv1").phase()).isEqualTo("Released");
              assertThat(s.pvReasons("pv1")).isEmpty();
            }),
        row("del-err-1 retries a transient DeleteVolume failure and reports it",
            s -> {
              provisioned(s, "c1");
              s.faults.deleteFailures.add(CsiCode.UNAVAILABLE);
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.kit.list(PersistentVolume.class)).isEmpty();
              assertThat(s.driverVolumes()).isEmpty();
              assertThat(s.faults.deleteCalls).isEqualTo(2);
              assertThat(s.kit.events()).anyMatch(e -> e.reason().orElse("").equals("VolumeFailedDelete")
                  && e.message().orElse("").equals("rpc error: code = Unavailable desc = injected UNAVAILABLE"));
            }),
        row("del-err-2 keeps the PV and its finalizer while DeleteVolume keeps failing",
            s -> {
              String pv = provisioned(s, "c1");
              for (int i = 0; i < 30; i++) {
                s.faults.deleteFailures.add(CsiCode.FAILED_PRECONDITION);
              }
              s.delete(pvcKey("c1"));
            },
            s -> {
              PersistentVolume v = s.kit.list(PersistentVolume.class).get(0);
              assertThat(v.phase()).isEqualTo("Released");
              assertThat(v.metadata().finalizers()).contains(Finalizers.EXTERNAL_PROVISIONER);
              assertThat(s.driverVolumes()).hasSize(1);
              assertThat(s.faults.deleteCalls).isGreaterThan(1).isLessThan(30);
            }),
        row("4-6 deleting a bound PV before its claim still deletes the backing volume (HonorPVReclaimPolicy)",
            s -> {
              String pv = provisioned(s, "c1");
              s.delete(pvKey(pv));
              s.settle();
              assertThat(s.pv(pv).metadata().isDeleting()).isTrue();
              assertThat(s.pv(pv).phase()).isEqualTo("Bound");
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.kit.list(PersistentVolume.class)).isEmpty();
              assertThat(s.driverVolumes()).isEmpty();
            }),
        row("4-6b deleting a bound Retain PV before its claim keeps the backing volume",
            s -> {
              s.apply(sc("keep").withReclaimPolicy(Optional.of("Retain")), withClass(pvc("c1", "1Gi"), "keep"));
              s.settle();
              s.delete(pvKey("pvc-" + s.uid("c1")));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.kit.list(PersistentVolume.class)).isEmpty();
              assertThat(s.driverVolumes()).hasSize(1);
              assertThat(s.faults.deleteCalls).isZero();
            }),
        row("4-6c gives a provisioned Delete PV the provisioner finalizer and drops it when the policy becomes Retain",
            s -> {
              String pv = provisioned(s, "c1");
              assertThat(s.pv(pv).metadata().finalizers()).contains(Finalizers.EXTERNAL_PROVISIONER);
              s.apply(withPolicy(s.pv(pv), "Retain"));
            },
            s -> assertThat(s.kit.list(PersistentVolume.class).get(0).metadata().finalizers())
                .doesNotContain(Finalizers.EXTERNAL_PROVISIONER)),
        row("att-1 does not delete a volume still attached to a node",
            s -> {
              String pv = provisioned(s, "c1");
              s.apply(new VolumeAttachment(ObjectMeta.named("csi-att-1"),
                  new VolumeAttachmentSpec(DRIVER, new VolumeAttachmentSource(Optional.of(pv), Optional.empty()), "node-1"),
                  null));
              s.delete(pvcKey("c1"));
            },
            s -> {
              String pv = s.kit.list(PersistentVolume.class).get(0).metadata().name();
              assertThat(s.pvEvents(pv)).contains("VolumeFailedDelete: persistentvolume " + pv
                  + " is still attached to node node-1");
              assertThat(s.driverVolumes()).hasSize(1);
              s.delete(new io.volumekit.core.key.ObjectKey(VolumeAttachment.KIND, "", "csi-att-1"));
              s.settle();
              assertThat(s.kit.list(PersistentVolume.class)).isEmpty();
              assertThat(s.driverVolumes()).isEmpty();
            }),
        row("8-11 deletes an orphan provisioned PV whose claim is bound to another volume",
            s -> {
              String pv = provisioned(s, "c1");
              String id = backing(s, "orphan");
              PersistentVolume o = withPolicy(preBound(csiPv("pvc-orphan", "1Gi", id), "c1", s.uid("c1")), "Delete");
              o = withClass(o, "fast");
              s.apply(o.withMetadata(o.metadata().withAnnotation(Annotations.PROVISIONED_BY, DRIVER)));
            },
            s -> {
              assertThat(s.hasPv("pvc-orphan")).isFalse();
              assertThat(s.driverVolumes()).hasSize(1);
              s.assertBound("c1", "pvc-" + s.uid("c1"));
            }),
        row("4-7 never turns a Failed volume back into Released",
            s -> {
              s.apply(withPolicy(pv("pv1", "1Gi"), "Delete"), withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              s.delete(pvcKey("c1"));
              s.settle();
              s.apply(s.pv("pv1").withMetadata(s.pv("pv1").metadata().withLabels(ImmutableMap.of("touched", "yes"))));
            },
            s -> assertThat(s.pv("pv1").phase()).isEqualTo("Failed")),
        row("sec-d uses the deletion secret recorded on the PV for DeleteVolume",
            s -> {
              s.apply(SecretBuilder.builder().metadata(ObjectMeta.named(NS, "creds"))
                      .stringData(ImmutableMap.of("token", "t0k3n")).build(),
                  sc("fast").withParameters(ImmutableMap.of(
                      "csi.storage.k8s.io/provisioner-secret-name", "creds",
                      "csi.storage.k8s.io/provisioner-secret-namespace", NS)),
                  withClass(pvc("c1", "1Gi"), "fast"));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.faults.deletes).singleElement()
                  .satisfies(r -> assertThat(r.secrets().asMap()).containsEntry("token", "t0k3n"));
              assertThat(s.driverVolumes()).isEmpty();
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reclaim(TableCase c) {
    c.run();
  }
}
