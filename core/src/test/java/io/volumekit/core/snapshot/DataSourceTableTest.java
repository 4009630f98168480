package io.volumekit.core.snapshot;

import static io.volumekit.core.Fixtures.*;
import static io.volumekit.core.TableCase.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.Scenario;
import io.volumekit.core.TableCase;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.ControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.TypedLocalObjectReference;
import io.volumekit.model.core.TypedObjectReference;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.populator.SourceKind;
import io.volumekit.model.populator.VolumePopulator;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotClass;
import io.volumekit.model.snapshot.VolumeSnapshotClassBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.snapshot.VolumeSnapshotSourceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotSpecBuilder;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Claims with a data source (restore from a VolumeSnapshot, clone of a claim, populators) and the
 * snapshot controller with the CSI snapshotter, against the engine and the in-memory driver
 * (external-provisioner getSnapshotSource / getPVCSource, external-snapshotter's sync tests).
 */
class DataSourceTableTest {

  static final String SNAP_GROUP = "snapshot.storage.k8s.io";

  static VolumeSnapshotClass snapClass(String name, String policy, boolean isDefault) {
    ObjectMeta m = ObjectMeta.named(name);
    if (isDefault) {
      m = m.withAnnotation(Snapshots.IS_DEFAULT_CLASS, "true");
    }
    return VolumeSnapshotClassBuilder.builder().metadata(m).driver(DRIVER).deletionPolicy(policy).build();
  }

  /** A ready snapshot whose content has allow-volume-mode-change: value, restored as Block into "blk". */
  static void restoreAsBlock(Scenario s, String allowModeChange) {
    readySnapshot(s);
    s.settle();
    VolumeSnapshotContent c = s.kit.list(VolumeSnapshotContent.class).get(0);
    s.apply(c.withMetadata(c.metadata().withAnnotation(Snapshots.ALLOW_VOLUME_MODE_CHANGE, allowModeChange)));
    PersistentVolumeClaim claim = fromSnapshot("blk", "1Gi", "snap");
    s.apply(claim.withSpec(claim.spec().withVolumeMode(Optional.of("Block"))));
  }

  static VolumePopulator populator(String name, String group, String kind) {
    return new VolumePopulator(ObjectMeta.named(name), new SourceKind(group, kind));
  }

  static VolumeSnapshot snapshotOf(String name, String claim) {
    return VolumeSnapshotBuilder.builder()
        .metadata(ObjectMeta.named(NS, name))
        .spec(VolumeSnapshotSpecBuilder.builder()
            .source(VolumeSnapshotSourceBuilder.builder().persistentVolumeClaimName(Optional.of(claim)).build())
            .build())
        .build();
  }

  static PersistentVolumeClaim fromSnapshot(String name, String size, String snapshot) {
    PersistentVolumeClaim c = withClass(pvc(name, size), "fast");
    return c.withSpec(c.spec().withDataSource(Optional.of(
        new TypedLocalObjectReference(Optional.of(SNAP_GROUP), VolumeSnapshot.KIND, snapshot))));
  }

  static PersistentVolumeClaim cloneOf(String name, String size, String source) {
    PersistentVolumeClaim c = withClass(pvc(name, size), "fast");
    return c.withSpec(c.spec().withDataSource(Optional.of(
        new TypedLocalObjectReference(Optional.empty(), PersistentVolumeClaim.KIND, source))));
  }

  static VolumeSnapshot snap(Scenario s, String name) {
    return s.kit.get(VolumeSnapshot.class, NS, name).orElseThrow(() -> new AssertionError("no snapshot " + name));
  }

  static VolumeSnapshotContent content(Scenario s, String name) {
    return s.kit.get(VolumeSnapshotContent.class, "", name).orElseThrow(() -> new AssertionError("no content " + name));
  }

  static List<String> snapEvents(Scenario s, String name) {
    return eventTexts(s.kit, ObjectKey.namespaced(VolumeSnapshot.KIND, NS, name));
  }

  /** A bound source claim "src" of 1Gi, a default Delete class and a ready snapshot "snap" of it. */
  static void readySnapshot(Scenario s) {
    s.apply(sc("fast"), withClass(pvc("src", "1Gi"), "fast"), snapClass("csi-snap", "Delete", true));
    s.settle();
    s.apply(snapshotOf("snap", "src"));
  }

  static String pvOf(Scenario s, String claim) {
    return "pvc-" + s.uid(claim);
  }

  static Stream<TableCase> cases() {
    return Stream.of(
        row("snap-1 a snapshot of a bound claim: content snapcontent-<uid>, CreateSnapshot, status and events",
            DataSourceTableTest::readySnapshot,
            s -> {
              VolumeSnapshot v = snap(s, "snap");
              String uid = v.metadata().uid().orElseThrow();
              String contentName = "snapcontent-" + uid;
              assertThat(v.spec().volumeSnapshotClassName()).contains("csi-snap");
              assertThat(v.status().boundVolumeSnapshotContentName()).contains(contentName);
              assertThat(v.status().readyToUse()).contains(true);
              assertThat(v.status().creationTime()).isPresent();
              assertThat(v.status().restoreSize().map(q -> q.value())).contains(1L << 30);
              assertThat(v.status().error()).isEmpty();
              assertThat(v.metadata().finalizers())
                  .containsExactlyInAnyOrder(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION, Snapshots.SNAPSHOT_BOUND_PROTECTION);
              VolumeSnapshotContent c = content(s, contentName);
              assertThat(c.spec().volumeSnapshotRef().uidOrEmpty()).isEqualTo(uid);
              assertThat(c.spec().deletionPolicy()).isEqualTo("Delete");
              assertThat(c.spec().driver()).isEqualTo(DRIVER);
              assertThat(c.spec().source().volumeHandle()).contains(s.pv(pvOf(s, "src")).csi().orElseThrow().volumeHandle());
              assertThat(c.spec().sourceVolumeMode()).contains("Filesystem");
              assertThat(c.status().snapshotHandle()).isPresent();
              assertThat(c.status().readyToUse()).contains(true);
              assertThat(c.metadata().finalizers()).containsExactly(Snapshots.CONTENT_BOUND_PROTECTION);
              assertThat(c.metadata().annotations()).doesNotContainKey(Snapshots.BEING_CREATED);
              assertThat(s.memory.listSnapshots(io.volumekit.core.csi.ListSnapshotsRequest.firstPage(0)).entries())
                  .extracting(e -> e.snapshotId()).containsExactly(c.status().snapshotHandle().get());
              // the source claim's protection is released once the snapshot is ready
              assertThat(s.pvc("src").metadata().finalizers()).doesNotContain(Snapshots.PVC_AS_SOURCE_PROTECTION);
              assertThat(snapEvents(s, "snap")).containsExactly(
                  "CreatingSnapshot: Waiting for a snapshot default/snap to be created by the CSI driver.",
                  "SnapshotCreated: Snapshot default/snap was successfully created by the CSI driver.",
                  "SnapshotReady: Snapshot default/snap is ready to use.");
            }),
        row("snap-2 a snapshot of an unbound claim waits with an event, then proceeds once the claim is bound",
            s -> {
              s.apply(snapClass("csi-snap", "Delete", true), withClass(pvc("src", "1Gi"), "fast"), snapshotOf("snap", "src"));
              s.settle();
              VolumeSnapshot v = snap(s, "snap");
              // No class named: the default class needs the claim's volume, so the class check stops
              // the sync: no finalizer, readyToUse not set, the claim not protected.
              assertThat(v.status().readyToUse()).isEmpty();
              assertThat(v.status().error().flatMap(e -> e.message())).contains(
                  "Failed to set default snapshot class with error the PVC src is not yet bound to a PV, will not"
                      + " attempt to take a snapshot");
              assertThat(Fixtures2.reasons(s, "snap")).containsExactly("SetDefaultSnapshotClassFailed");
              assertThat(v.metadata().finalizers()).isEmpty();
              assertThat(s.pvc("src").metadata().finalizers()).doesNotContain(Snapshots.PVC_AS_SOURCE_PROTECTION);
              assertThat(s.kit.list(VolumeSnapshotContent.class)).isEmpty();
              s.apply(sc("fast")); // the class appears, the claim is provisioned and bound
            },
            s -> {
              assertThat(snap(s, "snap").status().readyToUse()).contains(true);
              assertThat(snap(s, "snap").status().error()).isEmpty();
            }),
        row("snap-3 no default class: SetDefaultSnapshotClassFailed and no content",
            s -> {
              s.apply(sc("fast"), withClass(pvc("src", "1Gi"), "fast"), snapClass("other", "Delete", false));
              s.settle();
              s.apply(snapshotOf("snap", "src"));
            },
            s -> {
              assertThat(s.kit.list(VolumeSnapshotContent.class)).isEmpty();
              assertThat(snapEvents(s, "snap")).containsExactly(
                  "SetDefaultSnapshotClassFailed: Failed to set default snapshot class with error cannot find default snapshot class");
            }),
        row("snap-4 deleting a snapshot (Delete policy) deletes the content and the CSI snapshot",
            s -> {
              readySnapshot(s);
              s.settle();
              s.delete(ObjectKey.namespaced(VolumeSnapshot.KIND, NS, "snap"));
            },
            s -> {
              assertThat(s.kit.list(VolumeSnapshot.class)).isEmpty();
              assertThat(s.kit.list(VolumeSnapshotContent.class)).isEmpty();
              assertThat(s.memory.listSnapshots(io.volumekit.core.csi.ListSnapshotsRequest.firstPage(0)).entries()).isEmpty();
            }),
        row("snap-5 deleting a snapshot (Retain policy) keeps the content and the CSI snapshot",
            s -> {
              s.apply(sc("fast"), withClass(pvc("src", "1Gi"), "fast"), snapClass("keep", "Retain", true),
                  snapshotOf("snap", "src"));
              s.settle();
              s.delete(ObjectKey.namespaced(VolumeSnapshot.KIND, NS, "snap"));
            },
            s -> {
              assertThat(s.kit.list(VolumeSnapshot.class)).isEmpty();
              assertThat(s.kit.list(VolumeSnapshotContent.class)).hasSize(1);
              assertThat(s.kit.list(VolumeSnapshotContent.class).get(0).metadata().finalizers()).isEmpty();
              assertThat(s.memory.listSnapshots(io.volumekit.core.csi.ListSnapshotsRequest.firstPage(0)).entries()).hasSize(1);
            }),
        row("restore-1 a claim from a ready snapshot is created with the snapshot as content source",
            s -> {
              readySnapshot(s);
              s.settle();
              s.apply(fromSnapshot("restored", "1Gi", "snap"));
            },
            s -> {
              s.assertBound("restored", pvOf(s, "restored"));
              String handle = content(s, snap(s, "snap").status().boundVolumeSnapshotContentName().orElseThrow())
                  .status().snapshotHandle().orElseThrow();
              assertThat(s.faults.creates.get(s.faults.creates.size() - 1).volumeContentSource())
                  .contains(VolumeContentSource.snapshot(handle));
            }),
        row("restore-2 a claim created before its snapshot waits (ProvisioningFailed) and is restored once it is ready",
            s -> {
              s.apply(sc("fast"), snapClass("csi-snap", "Delete", true), fromSnapshot("restored", "1Gi", "snap"));
              s.settle();
              s.assertPending("restored");
              assertThat(s.pvcEvents("restored")).contains("ProvisioningFailed: failed to provision volume with StorageClass"
                  + " \"fast\": error getting handle for DataSource Type VolumeSnapshot by Name snap: error getting snapshot snap"
                  + " from api server: volumesnapshots.snapshot.storage.k8s.io \"snap\" not found");
              s.apply(withClass(pvc("src", "1Gi"), "fast"), snapshotOf("snap", "src"));
            },
            s -> {
              s.assertBound("restored", pvOf(s, "restored"));
              assertThat(s.faults.creates.get(s.faults.creates.size() - 1).volumeContentSource()).isPresent();
            }),
        row("restore-3 a request smaller than the restore size is refused",
            s -> {
              readySnapshot(s);
              s.settle();
              s.apply(fromSnapshot("small", "512Mi", "snap"));
            },
            s -> {
              s.assertPending("small");
              assertThat(s.pvcEvents("small")).contains("ProvisioningFailed: failed to provision volume with StorageClass"
                  + " \"fast\": error getting handle for DataSource Type VolumeSnapshot by Name snap: requested volume size"
                  + " 536870912 is less than the size 1073741824 for the source snapshot snap");
            }),
        row("restore-4 restoring a Filesystem snapshot as Block is refused without allow-volume-mode-change",
            s -> {
              readySnapshot(s);
              s.settle();
              PersistentVolumeClaim c = fromSnapshot("blk", "1Gi", "snap");
              s.apply(c.withSpec(c.spec().withVolumeMode(Optional.of("Block"))));
            },
            s -> {
              s.assertPending("blk");
              String content = snap(s, "snap").status().boundVolumeSnapshotContentName().orElseThrow();
              assertThat(s.pvcEvents("blk")).contains("ProvisioningFailed: failed to provision volume with StorageClass"
                  + " \"fast\": error getting handle for DataSource Type VolumeSnapshot by Name snap: requested volume"
                  + " default/blk modifies the mode of the source volume but does not have permission to do so."
                  + " snapshot.storage.kubernetes.io/allow-volume-mode-change annotation is not present on snapshotcontent "
                  + content);
            }),
        row("restore-5 ... and allowed once the content has allow-volume-mode-change: \"true\"",
            s -> restoreAsBlock(s, "true"),
            s -> s.assertBound("blk", pvOf(s, "blk"))),
        row("restore-5b allow-volume-mode-change \"false\" still refuses the mode change",
            s -> restoreAsBlock(s, "false"),
            s -> {
              s.assertPending("blk");
              String content = snap(s, "snap").status().boundVolumeSnapshotContentName().orElseThrow();
              String start = "ProvisioningFailed: failed to provision volume with StorageClass \"fast\": error getting"
                  + " handle for DataSource Type VolumeSnapshot by Name snap: requested volume default/blk modifies the"
                  + " mode of the source volume but does not have permission to do so. ";
              assertThat(s.pvcEvents("blk")).contains(
                  start + "snapshot.storage.kubernetes.io/allow-volume-mode-change is set to false on snapshotcontent "
                      + content);
              // The only CreateVolume is the source claim's: nothing restores from the snapshot.
              assertThat(s.faults.creates).noneMatch(r -> r.volumeContentSource().isPresent());
            }),
        row("restore-6 deleting a snapshot waits while a Pending claim restores from it",
            s -> {
              readySnapshot(s);
              s.settle();
              s.apply(fromSnapshot("small", "512Mi", "snap")); // never provisioned: too small
              s.settle();
              s.delete(ObjectKey.namespaced(VolumeSnapshot.KIND, NS, "snap"));
            },
            s -> {
              assertThat(snap(s, "snap").metadata().isDeleting()).isTrue();
              assertThat(snapEvents(s, "snap")).contains("SnapshotDeletePending: Snapshot is being used to restore a PVC");
              assertThat(s.kit.list(VolumeSnapshotContent.class)).hasSize(1);
            }),
        row("clone-1 a claim cloned from a bound claim is created with the source volume as content source",
            s -> {
              s.apply(sc("fast"), withClass(pvc("src", "1Gi"), "fast"));
              s.settle();
              s.apply(cloneOf("copy", "2Gi", "src"));
            },
            s -> {
              s.assertBound("copy", pvOf(s, "copy"));
              String handle = s.pv(pvOf(s, "src")).csi().orElseThrow().volumeHandle();
              assertThat(s.faults.creates.get(s.faults.creates.size() - 1).volumeContentSource())
                  .contains(VolumeContentSource.volume(handle));
            }),
        row("clone-2 a clone smaller than its source is refused",
            s -> {
              s.apply(sc("fast"), withClass(pvc("src", "2Gi"), "fast"));
              s.settle();
              s.apply(cloneOf("copy", "1Gi", "src"));
            },
            s -> {
              s.assertPending("copy");
              assertThat(s.pvcEvents("copy")).contains("ProvisioningFailed: failed to provision volume with StorageClass"
                  + " \"fast\": error getting handle for DataSource Type PersistentVolumeClaim by Name src: error, new PVC"
                  + " request must be greater than or equal in size to the specified PVC data source, requested 1073741824"
                  + " but source is 2147483648");
            }),
        row("clone-3 a clone of a Filesystem claim as Block is refused",
            s -> {
              s.apply(sc("fast"), withClass(pvc("src", "1Gi"), "fast"));
              s.settle();
              PersistentVolumeClaim c = cloneOf("copy", "1Gi", "src");
              s.apply(c.withSpec(c.spec().withVolumeMode(Optional.of("Block"))));
            },
            s -> assertThat(s.pvcEvents("copy")).contains("ProvisioningFailed: failed to provision volume with StorageClass"
                + " \"fast\": error getting handle for DataSource Type PersistentVolumeClaim by Name src: the source PVC and"
                + " destination PVCs must have the same volume mode for cloning.  Source is Filesystem, but new PVC requested Block")),
        row("clone-4 a clone waits for its source to be Bound",
            s -> {
              s.apply(withClass(pvc("src", "1Gi"), "fast"), cloneOf("copy", "1Gi", "src"));
              s.apply(sc("other"));
              s.settle();
              s.assertPending("copy");
              s.apply(sc("fast"));
            },
            s -> {
              s.assertBound("src", pvOf(s, "src"));
              s.assertBound("copy", pvOf(s, "copy"));
            }),
        row("pop-1 a dataSourceRef to another kind waits for an external populator, never provisioned empty",
            s -> {
              PersistentVolumeClaim c = withClass(pvc("c1", "1Gi"), "fast");
              s.apply(sc("fast"), c.withSpec(c.spec().withDataSourceRef(Optional.of(
                  new TypedObjectReference(Optional.of("example.com"), "Backup", "nightly", Optional.empty())))));
            },
            s -> {
              s.assertPending("c1");
              assertThat(s.faults.createCalls).isZero();
              assertThat(s.pvcReasons("c1")).contains("Provisioning").doesNotContain("ProvisioningSucceeded");
              assertThat(s.pvcEvents("c1")).anyMatch(e -> e.startsWith(
                  "Provisioning: Assuming an external populator will provision the volume"));
            }),
        row("pop-2 a kind no VolumePopulator registers gets the data source validator's warning",
            s -> {
              PersistentVolumeClaim c = withClass(pvc("c1", "1Gi"), "fast");
              s.apply(sc("fast"), c.withSpec(c.spec().withDataSourceRef(Optional.of(
                  new TypedObjectReference(Optional.of("example.com"), "Backup", "nightly", Optional.empty())))));
            },
            s -> {
              s.assertPending("c1");
              assertThat(s.pvcEvents("c1")).containsOnlyOnce("UnrecognizedDataSourceKind: The datasource for this PVC"
                  + " does not match any registered VolumePopulator");
            }),
        row("pop-3 a kind a VolumePopulator registers: no warning, left to the populator",
            s -> {
              PersistentVolumeClaim c = withClass(pvc("c1", "1Gi"), "fast");
              s.apply(populator("backups", "example.com", "Backup"), sc("fast"), c.withSpec(c.spec().withDataSourceRef(
                  Optional.of(new TypedObjectReference(Optional.of("example.com"), "Backup", "nightly", Optional.empty())))));
            },
            s -> {
              s.assertPending("c1");
              assertThat(s.pvcReasons("c1")).contains("Provisioning").doesNotContain("UnrecognizedDataSourceKind");
            }),
        row("pop-4 the same kind in another group is not registered",
            s -> {
              PersistentVolumeClaim c = withClass(pvc("c1", "1Gi"), "fast");
              s.apply(populator("backups", "example.com", "Backup"), sc("fast"), c.withSpec(c.spec().withDataSourceRef(
                  Optional.of(new TypedObjectReference(Optional.of("example.org"), "Backup", "nightly", Optional.empty())))));
            },
            s -> assertThat(s.pvcReasons("c1")).contains("UnrecognizedDataSourceKind")),
        row("pop-5 clones and restores are never warned about",
            s -> {
              s.apply(sc("fast"), withClass(pvc("src", "1Gi"), "fast"));
              PersistentVolumeClaim c = withClass(pvc("c1", "1Gi"), "fast");
              s.apply(c.withSpec(c.spec().withDataSourceRef(Optional.of(
                  new TypedObjectReference(Optional.empty(), PersistentVolumeClaim.KIND, "src", Optional.empty())))));
              PersistentVolumeClaim r = withClass(pvc("c2", "1Gi"), "fast");
              s.apply(r.withSpec(r.spec().withDataSourceRef(Optional.of(
                  new TypedObjectReference(Optional.of(SNAP_GROUP), VolumeSnapshot.KIND, "snap", Optional.empty())))));
            },
            s -> {
              assertThat(s.pvcReasons("c1")).doesNotContain("UnrecognizedDataSourceKind");
              assertThat(s.pvcReasons("c2")).doesNotContain("UnrecognizedDataSourceKind");
            }),
        row("xns-1 a cross-namespace dataSourceRef is refused",
            s -> {
              PersistentVolumeClaim c = withClass(pvc("c1", "1Gi"), "fast");
              s.apply(sc("fast"), c.withSpec(c.spec().withDataSourceRef(Optional.of(
                  new TypedObjectReference(Optional.of(SNAP_GROUP), VolumeSnapshot.KIND, "snap", Optional.of("other"))))));
            },
            s -> {
              s.assertPending("c1");
              assertThat(s.faults.createCalls).isZero();
              assertThat(s.pvcEvents("c1")).contains("ProvisioningFailed: failed to provision volume with StorageClass"
                  + " \"fast\": dataSourceRef namespace specified but the CrossNamespaceVolumeDataSource feature is disabled");
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void table(TableCase c) {
    c.run();
  }

  /** A driver that does not report the capabilities in {@code missing}. */
  static CsiDriver without(CsiDriver d, Set<ControllerCapability> missing) {
    return new ForwardingCsiDriver(d) {
      @Override
      public ControllerGetCapabilitiesResponse controllerGetCapabilities() {
        EnumSet<ControllerCapability> caps = EnumSet.noneOf(ControllerCapability.class);
        caps.addAll(delegate().controllerGetCapabilities().capabilities());
        caps.removeAll(missing);
        return new ControllerGetCapabilitiesResponse(com.google.common.collect.ImmutableSet.copyOf(caps));
      }
    };
  }

  @Test
  void cloneNeedsCloneVolumeCapability() {
    Scenario s = new Scenario(d -> without(d, Set.of(ControllerCapability.CLONE_VOLUME)));
    s.apply(sc("fast"), withClass(pvc("src", "1Gi"), "fast"));
    s.settle();
    s.apply(cloneOf("copy", "1Gi", "src"));
    s.settle();
    s.assertPending("copy");
    assertThat(s.pvcEvents("copy")).contains("ProvisioningFailed: failed to provision volume with StorageClass \"fast\":"
        + " CSI driver does not support clone operations: controller CLONE_VOLUME capability is not reported");
  }

  @Test
  void restoreNeedsSnapshotCapability() {
    Scenario s = new Scenario(d -> without(d, Set.of(ControllerCapability.CREATE_DELETE_SNAPSHOT)));
    s.apply(sc("fast"), fromSnapshot("restored", "1Gi", "snap"));
    s.settle();
    s.assertPending("restored");
    assertThat(s.pvcEvents("restored")).contains("ProvisioningFailed: failed to provision volume with StorageClass \"fast\":"
        + " CSI driver does not support snapshot restore: controller CREATE_DELETE_SNAPSHOT capability is not reported");
  }

  @Test
  void createSnapshotAfterAnUncertainFailureIsRepeatedByNameAndCutOnce() {
    List<String> names = new java.util.ArrayList<>();
    Scenario s = new Scenario(d -> new ForwardingCsiDriver(d) {
      @Override
      public io.volumekit.core.csi.CreateSnapshotResponse createSnapshot(io.volumekit.core.csi.CreateSnapshotRequest r) {
        names.add(r.name());
        io.volumekit.core.csi.CreateSnapshotResponse resp = delegate().createSnapshot(r);
        if (names.size() == 1) {
          // the driver cut the snapshot, the answer was lost
          throw new io.volumekit.core.csi.CsiException(io.volumekit.core.csi.CsiCode.DEADLINE_EXCEEDED, "injected");
        }
        return resp;
      }
    });
    readySnapshot(s);
    s.settle();
    VolumeSnapshot v = snap(s, "snap");
    assertThat(v.status().readyToUse()).contains(true);
    assertThat(names).hasSize(2).containsOnly("snapshot-" + v.metadata().uid().orElseThrow());
    assertThat(s.memory.listSnapshots(io.volumekit.core.csi.ListSnapshotsRequest.firstPage(0)).entries()).hasSize(1);
    VolumeSnapshotContent c = content(s, v.status().boundVolumeSnapshotContentName().orElseThrow());
    assertThat(eventTexts(s.kit, ObjectKey.of(c))).containsExactly(
        "SnapshotCreationFailed: Failed to create snapshot: rpc error: code = DeadlineExceeded desc = injected");
    assertThat(c.status().error()).isEmpty();
  }

  /** Records the CreateSnapshot calls' names and the answers' readiness. */
  static Scenario recordingCreates(List<String> calls) {
    return new Scenario(d -> new ForwardingCsiDriver(d) {
      @Override
      public io.volumekit.core.csi.CreateSnapshotResponse createSnapshot(io.volumekit.core.csi.CreateSnapshotRequest r) {
        io.volumekit.core.csi.CreateSnapshotResponse resp = delegate().createSnapshot(r);
        calls.add(r.name() + (resp.snapshot().readyToUse() ? " ready" : " not ready"));
        return resp;
      }
    });
  }

  @Test
  void aSnapshotAnsweredNotReadyIsCheckedAgainByNameUntilReady() {
    List<String> calls = new java.util.ArrayList<>();
    Scenario s = recordingCreates(calls);
    s.memory.setSnapshotsReadyAfter(3);
    readySnapshot(s);
    s.kit.settle(java.time.Duration.ZERO); // only what is due now: the first answer, not ready
    VolumeSnapshot v = snap(s, "snap");
    String name = "snapshot-" + v.metadata().uid().orElseThrow();
    assertThat(calls).containsExactly(name + " not ready");
    assertThat(v.status().readyToUse()).contains(false);
    VolumeSnapshotContent c = content(s, v.status().boundVolumeSnapshotContentName().orElseThrow());
    assertThat(c.status().snapshotHandle()).isPresent();
    assertThat(c.status().readyToUse()).contains(false);
    assertThat(c.metadata().annotation(CsiSnapshotter.READY_CHECKS)).contains("1");
    assertThat(c.metadata().annotations()).doesNotContainKey(Snapshots.BEING_CREATED);
    // the source claim stays protected while its snapshot is not ready
    assertThat(s.pvc("src").metadata().finalizers()).contains(Snapshots.PVC_AS_SOURCE_PROTECTION);

    s.settle(); // the checks come due, 1s, 2s, 4s later
    assertThat(calls).containsExactly(name + " not ready", name + " not ready", name + " not ready", name + " ready");
    v = snap(s, "snap");
    assertThat(v.status().readyToUse()).contains(true);
    c = content(s, v.status().boundVolumeSnapshotContentName().orElseThrow());
    assertThat(c.status().readyToUse()).contains(true);
    assertThat(c.metadata().annotations()).doesNotContainKey(CsiSnapshotter.READY_CHECKS);
    assertThat(s.memory.listSnapshots(io.volumekit.core.csi.ListSnapshotsRequest.firstPage(0)).entries()).hasSize(1);
    assertThat(s.pvc("src").metadata().finalizers()).doesNotContain(Snapshots.PVC_AS_SOURCE_PROTECTION);
    assertThat(snapEvents(s, "snap")).endsWith("SnapshotReady: Snapshot default/snap is ready to use.");
  }

  @Test
  void aRestoreFromASnapshotNotReadyYetWaitsAndIsRestoredOnceReady() {
    List<String> calls = new java.util.ArrayList<>();
    Scenario s = recordingCreates(calls);
    s.memory.setSnapshotsReadyAfter(2);
    readySnapshot(s);
    s.apply(fromSnapshot("restored", "1Gi", "snap"));
    s.kit.settle(java.time.Duration.ZERO);
    s.assertPending("restored");
    s.settle();
    s.assertBound("restored", pvOf(s, "restored"));
    assertThat(calls).hasSize(3);
  }

  @Test
  void deletingASnapshotWhileItIsNotReadyDeletesTheDriverSnapshotAndStopsChecking() {
    List<String> calls = new java.util.ArrayList<>();
    Scenario s = recordingCreates(calls);
    s.memory.setSnapshotsReadyAfter(1000);
    readySnapshot(s);
    s.kit.settle(java.time.Duration.ZERO);
    s.delete(ObjectKey.namespaced(VolumeSnapshot.KIND, NS, "snap"));
    s.settle();
    assertThat(s.kit.list(VolumeSnapshot.class)).isEmpty();
    assertThat(s.kit.list(VolumeSnapshotContent.class)).isEmpty();
    assertThat(s.memory.listSnapshots(io.volumekit.core.csi.ListSnapshotsRequest.firstPage(0)).entries()).isEmpty();
    int made = calls.size();
    s.kit.runFor(java.time.Duration.ofHours(1));
    assertThat(calls).hasSize(made);
  }

  @Test
  void readinessChecksBackOffFromOneSecondUpToFiveMinutes() {
    assertThat(CsiSnapshotter.readyCheckDelay(0)).isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(CsiSnapshotter.readyCheckDelay(1)).isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(CsiSnapshotter.readyCheckDelay(2)).isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(CsiSnapshotter.readyCheckDelay(4)).isEqualTo(java.time.Duration.ofSeconds(8));
    assertThat(CsiSnapshotter.readyCheckDelay(10)).isEqualTo(java.time.Duration.ofMinutes(5));
    assertThat(CsiSnapshotter.readyCheckDelay(Integer.MAX_VALUE)).isEqualTo(java.time.Duration.ofMinutes(5));
  }

  /** Local helpers over the scenario's events. */
  static final class Fixtures2 {
    static List<String> reasons(Scenario s, String snapshot) {
      return io.volumekit.core.Fixtures.reasons(s.kit, ObjectKey.namespaced(VolumeSnapshot.KIND, NS, snapshot));
    }
  }

}
