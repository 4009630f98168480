package io.volumekit.core.provisioning;

import static io.volumekit.core.Fixtures.*;
import static io.volumekit.core.TableCase.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.TableCase;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Finalizers;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.SecretBuilder;
import io.volumekit.model.core.TopologySelectorLabelRequirement;
import io.volumekit.model.core.TopologySelectorTerm;
import io.volumekit.model.meta.LabelSelector;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.CSINodeDriver;
import io.volumekit.model.storage.CSINodeSpec;
import io.volumekit.model.storage.StorageClass;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Dynamic provisioning through CSI CreateVolume (docs/cases/provisioning.md; 11-x after Kubernetes' provisioning tests). */
class ProvisioningTableTest {

  static String pvName(io.volumekit.core.Scenario s, String claim) {
    return "pvc-" + s.uid(claim);
  }

  static StorageClass withParams(StorageClass sc, ImmutableMap<String, String> p) {
    return sc.withParameters(p);
  }

  static Stream<TableCase> cases() {
    return Stream.of(
        row("11-1 provisions a volume named pvc-<uid> and binds it",
            s -> s.apply(sc("fast"), withClass(pvc("c1", "2Gi"), "fast")),
            s -> {
              String pv = pvName(s, "c1");
              s.assertBound("c1", pv);
              PersistentVolume v = s.pv(pv);
              assertThat(v.reclaimPolicy()).isEqualTo("Delete");
              assertThat(v.spec().storageClassName()).isEqualTo("fast");
              assertThat(v.capacityStorage()).contains(Quantity.parse("2Gi"));
              assertThat(v.metadata().annotations()).containsEntry(Annotations.PROVISIONED_BY, DRIVER)
                  .doesNotContainKey(Annotations.BOUND_BY_CONTROLLER);
              assertThat(v.metadata().finalizers()).contains(Finalizers.EXTERNAL_PROVISIONER, Finalizers.PV_PROTECTION);
              assertThat(v.csi().orElseThrow().driver()).isEqualTo(DRIVER);
              assertThat(s.pvc("c1").metadata().annotations())
                  .containsEntry(Annotations.STORAGE_PROVISIONER, DRIVER)
                  .containsEntry(Annotations.BETA_STORAGE_PROVISIONER, DRIVER)
                  .containsKey(Annotations.BOUND_BY_CONTROLLER);
              assertThat(s.pvcReasons("c1")).containsExactly("ExternalProvisioning", "Provisioning", "ProvisioningSucceeded");
              assertThat(s.pvcEvents("c1")).contains("ProvisioningSucceeded: Successfully provisioned volume " + pv);
              assertThat(s.driverVolumes()).hasSize(1);
            }),
        row("11-6 binds a matching available volume instead of provisioning",
            s -> s.apply(sc("fast"), withClass(pv("pv1", "5Gi"), "fast"), withClass(pvc("c1", "1Gi"), "fast")),
            s -> {
              s.assertBound("c1", "pv1");
              assertThat(s.faults.createCalls).isZero();
            }),
        row("11-14 does not provision for a class that does not exist",
            s -> s.apply(withClass(pvc("c1", "1Gi"), "nope")),
            s -> {
              s.assertPending("c1");
              assertThat(s.faults.createCalls).isZero();
              assertThat(s.pvcReasons("c1")).containsExactly("ProvisioningFailed");
            }),
        row("11-15 does not provision a claim with class \"\"",
            s -> s.apply(sc("fast"), withClass(pvc("c1", "1Gi"), "")),
            s -> assertThat(s.faults.createCalls).isZero()),
        row("11-17 leaves a claim of an external provisioner Pending with ExternalProvisioning",
            s -> s.apply(sc("ext", "example.com/nfs"), withClass(pvc("c1", "1Gi"), "ext")),
            s -> {
              s.assertPending("c1");
              assertThat(s.pvc("c1").metadata().annotations()).containsEntry(Annotations.STORAGE_PROVISIONER, "example.com/nfs");
              assertThat(s.pvcEvents("c1")).containsExactly("ExternalProvisioning: Waiting for a volume to be created"
                  + " either by the external provisioner 'example.com/nfs' or manually by the system administrator."
                  + " If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
            }),
        row("11-2 reports ProvisioningFailed for an unknown in-tree provisioner",
            s -> s.apply(sc("old", "kubernetes.io/glusterfs"), withClass(pvc("c1", "1Gi"), "old")),
            s -> {
              s.assertPending("c1");
              assertThat(s.pvcEvents("c1")).containsExactly("ProvisioningFailed: no volume plugin matched name: kubernetes.io/glusterfs");
            }),
        row("wffc-1 provisions only after a consumer pod is on a node, for that node",
            s -> {
              s.apply(wffc(sc("fast")), withClass(pvc("c1", "1Gi"), "fast"));
              s.settle();
              assertThat(s.faults.createCalls).isZero();
              assertThat(s.pvcReasons("c1")).containsExactly("WaitForFirstConsumer");
              s.apply(pod("web", "node-2", "c1"));
            },
            s -> {
              assertThat(s.pvc("c1").metadata().annotations()).containsEntry(Annotations.SELECTED_NODE, "node-2");
              s.assertBound("c1", pvName(s, "c1"));
            }),
        row("rp-1 takes Retain from the class and adds no deletion finalizer",
            s -> s.apply(sc("keep").withReclaimPolicy(Optional.of("Retain")), withClass(pvc("c1", "1Gi"), "keep")),
            s -> {
              PersistentVolume v = s.pv(pvName(s, "c1"));
              assertThat(v.reclaimPolicy()).isEqualTo("Retain");
              assertThat(v.metadata().finalizers()).doesNotContain(Finalizers.EXTERNAL_PROVISIONER);
            }),
        row("pm-1 strips csi.storage.k8s.io parameters and copies mount options",
            s -> s.apply(withParams(sc("fast"), ImmutableMap.of("type", "ssd", "csi.storage.k8s.io/fstype", "xfs"))
                .withMountOptions(ImmutableList.of("noatime")), withClass(pvc("c1", "1Gi"), "fast")),
            s -> {
              assertThat(s.faults.creates.get(0).parameters()).containsExactly(java.util.Map.entry("type", "ssd"));
              PersistentVolume v = s.pv(pvName(s, "c1"));
              assertThat(v.spec().mountOptions()).containsExactly("noatime");
              assertThat(v.csi().orElseThrow().fsType()).contains("xfs");
            }),
        row("sec-1 resolves templated secrets: provisioner secret sent, references on the PV",
            s -> s.apply(
                SecretBuilder.builder().metadata(ObjectMeta.named(NS, "c1-creds"))
                    .stringData(ImmutableMap.of("password", "s3cr3t")).build(),
                withParams(sc("fast"), ImmutableMap.of(
                    "csi.storage.k8s.io/provisioner-secret-name", "${pvc.name}-creds",
                    "csi.storage.k8s.io/provisioner-secret-namespace", "${pvc.namespace}",
                    "csi.storage.k8s.io/node-publish-secret-name", "publish-${pvc.name}",
                    "csi.storage.k8s.io/node-publish-secret-namespace", "${pvc.namespace}")),
                withClass(pvc("c1", "1Gi"), "fast")),
            s -> {
              assertThat(s.faults.creates.get(0).secrets().asMap()).containsEntry("password", "s3cr3t");
              assertThat(s.faults.creates.get(0).parameters()).isEmpty();
              PersistentVolume v = s.pv(pvName(s, "c1"));
              assertThat(v.metadata().annotations()).containsEntry(Annotations.DELETION_SECRET_NAME, "c1-creds")
                  .containsEntry(Annotations.DELETION_SECRET_NAMESPACE, NS);
              assertThat(v.csi().orElseThrow().nodePublishSecretRef().map(r -> r.name())).contains("publish-c1");
              assertThat(s.trace).noneMatch(l -> l.contains("s3cr3t"));
            }),
        row("sec-2 waits for a missing provisioner secret, then provisions",
            s -> {
              s.apply(withParams(sc("fast"), ImmutableMap.of(
                      "csi.storage.k8s.io/provisioner-secret-name", "creds",
                      "csi.storage.k8s.io/provisioner-secret-namespace", "kube-system")),
                  withClass(pvc("c1", "1Gi"), "fast"));
              s.settle();
              s.assertPending("c1");
              assertThat(s.pvcEvents("c1")).contains("ProvisioningFailed: failed to provision volume with StorageClass"
                  + " \"fast\": failed to get secret kube-system/creds: secrets \"creds\" not found");
              s.apply(SecretBuilder.builder().metadata(ObjectMeta.named("kube-system", "creds"))
                  .stringData(ImmutableMap.of("k", "v")).build());
            },
            s -> s.assertBound("c1", pvName(s, "c1"))),
        row("sec-3 reports invalid secret templates",
            s -> s.apply(withParams(sc("fast"), ImmutableMap.of(
                    "csi.storage.k8s.io/provisioner-secret-name", "${pvc.unknown}",
                    "csi.storage.k8s.io/provisioner-secret-namespace", "ns")),
                withClass(pvc("c1", "1Gi"), "fast")),
            s -> assertThat(s.pvcEvents("c1")).anyMatch(e -> e.contains("invalid tokens: [pvc.unknown]"))),
        row("sel-1 refuses to provision a claim with a selector",
            s -> {
              PersistentVolumeClaim c = withClass(pvc("c1", "1Gi"), "fast");
              s.apply(sc("fast"), c.withSpec(c.spec().withSelector(Optional.of(LabelSelector.of(ImmutableMap.of("a", "b"))))));
            },
            s -> {
              s.assertPending("c1");
              assertThat(s.pvcEvents("c1")).contains(
                  "ProvisioningFailed: failed to provision volume with StorageClass \"fast\": claim Selector is not supported");
            }),
        row("err-1 retries a transient CreateVolume failure with backoff",
            s -> {
              s.faults.createFailures.add(CsiCode.UNAVAILABLE);
              s.faults.createFailures.add(CsiCode.INTERNAL);
              s.apply(sc("fast"), withClass(pvc("c1", "1Gi"), "fast"));
            },
            s -> {
              s.assertBound("c1", pvName(s, "c1"));
              assertThat(s.faults.createCalls).isEqualTo(3);
              assertThat(s.driverVolumes()).hasSize(1);
              assertThat(s.pvcEvents("c1")).contains("ProvisioningFailed: failed to provision volume with StorageClass"
                  + " \"fast\": rpc error: code = Unavailable desc = injected UNAVAILABLE");
              assertThat(s.trace).anyMatch(l -> l.startsWith("+1500ms effect start provision-default/c1 attempt=3"));
            }),
        row("err-2 repeats a timed-out CreateVolume with the same name: one volume",
            s -> {
              s.faults.createFailures.add(CsiCode.DEADLINE_EXCEEDED);
              s.apply(sc("fast"), withClass(pvc("c1", "1Gi"), "fast"));
            },
            s -> {
              assertThat(s.faults.creates).extracting(r -> r.name()).containsOnly(pvName(s, "c1"));
              assertThat(s.faults.createCalls).isEqualTo(2);
              assertThat(s.driverVolumes()).hasSize(1);
              s.assertBound("c1", pvName(s, "c1"));
            }),
        row("err-3 reports a final error and retries it slowly",
            s -> {
              s.faults.createFailures.add(CsiCode.INVALID_ARGUMENT);
              s.apply(sc("fast"), withClass(pvc("c1", "1Gi"), "fast"));
            },
            s -> {
              assertThat(s.pvcEvents("c1")).contains("ProvisioningFailed: failed to provision volume with StorageClass"
                  + " \"fast\": rpc error: code = InvalidArgument desc = injected INVALID_ARGUMENT");
              assertThat(s.trace).anyMatch(l -> l.startsWith("+122000ms effect start provision-default/c1 attempt=2"));
              s.assertBound("c1", pvName(s, "c1"));
            }),
        row("err-4 deletes a volume whose claim vanished while CreateVolume timed out",
            s -> {
              s.faults.createFailures.add(CsiCode.DEADLINE_EXCEEDED);
              s.apply(sc("fast"), withClass(pvc("c1", "1Gi"), "fast"));
              s.kit.runtime().runUntilIdle();
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.hasPvc("c1")).isFalse();
              assertThat(s.kit.list(PersistentVolume.class)).isEmpty();
              assertThat(s.driverVolumes()).isEmpty();
              assertThat(s.kit.state().operations()).isEmpty();
            }),
        row("err-5 deletes a volume whose claim bound to another PV while CreateVolume timed out",
            s -> {
              s.faults.createFailures.add(CsiCode.DEADLINE_EXCEEDED);
              s.apply(sc("fast").withReclaimPolicy(Optional.of("Retain")), withClass(pvc("c1", "1Gi"), "fast"));
              s.kit.runtime().runUntilIdle();
              // while the retry waits out its backoff, a matching static PV appears and the binder takes it
              s.apply(withClass(pv("pv1", "5Gi"), "fast"));
              s.kit.runtime().runUntilIdle();
            },
            s -> {
              s.assertBound("c1", "pv1");
              assertThat(s.faults.createCalls).isEqualTo(2);
              assertThat(s.hasPv(pvName(s, "c1"))).isFalse();
              assertThat(s.driverVolumes()).isEmpty();
              assertThat(s.kit.state().operations()).isEmpty();
            }),
        row("topo-1 sends allowedTopologies as the requisite topology",
            s -> {
              s.apply(new CSINode(ObjectMeta.named("node-1"), new CSINodeSpec(ImmutableList.of(
                  new CSINodeDriver(DRIVER, "node-1", ImmutableList.of("kubernetes.io/hostname"), Optional.empty())))));
              // (the registration already made node-1's CSINode; re-applying it replaces the driver entry)
              s.apply(sc("fast").withAllowedTopologies(ImmutableList.of(new TopologySelectorTerm(ImmutableList.of(
                  new TopologySelectorLabelRequirement("kubernetes.io/hostname", ImmutableList.of("node-1", "node-2")))))),
                  withClass(pvc("c1", "1Gi"), "fast"));
            },
            s -> {
              var req = s.faults.creates.get(0).accessibilityRequirements().orElseThrow();
              assertThat(req.requisite()).extracting(t -> t.segments().get("kubernetes.io/hostname"))
                  .containsExactly("node-1", "node-2");
              s.assertBound("c1", pvName(s, "c1"));
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void provisioning(TableCase c) {
    c.run();
  }
}
