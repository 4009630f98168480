package io.volumekit.testkit;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.TypedLocalObjectReference;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotClass;
import io.volumekit.model.snapshot.VolumeSnapshotClassBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.snapshot.VolumeSnapshotSourceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotSpecBuilder;
import java.util.Optional;

/**
 * The steps of a history with snapshots ({@link HistoryGenerator#withSnapshots()}): snapshot
 * classes, VolumeSnapshots of claims ({@link TakeSnapshot}), claims restored from a snapshot
 * ({@link RestoreClaim}) or cloned from another claim ({@link CloneClaim}), and deletions of
 * snapshots and of their contents, all racing the claims' own lifecycle and the driver's faults.
 */
public final class SnapshotSteps {

  private SnapshotSteps() {}

  /** The snapshot API group, as a claim's {@code dataSource.apiGroup} names it. */
  public static final String GROUP = "snapshot.storage.k8s.io";

  static ObjectKey snapshotKey(String name) {
    return ObjectKey.namespaced(VolumeSnapshot.KIND, SimObjects.NAMESPACE, name);
  }

  /** The administrator creates a VolumeSnapshotClass of the simulated driver. */
  public record CreateSnapshotClass(String name, String deletionPolicy, boolean isDefault) implements Step {
    @Override
    public void run(Cluster c) {
      ObjectMeta meta = ObjectMeta.named(name);
      if (isDefault) {
        meta = meta.withAnnotation(VolumeSnapshotClass.IS_DEFAULT_CLASS, "true");
      }
      c.create(VolumeSnapshotClassBuilder.builder().metadata(meta).driver(SimObjects.DRIVER)
          .deletionPolicy(deletionPolicy).parameters(ImmutableMap.of()).build());
    }

    @Override
    public String toString() {
      return "create snapshot class " + name + " " + deletionPolicy + (isDefault ? " (default)" : "");
    }
  }

  /** The user takes a VolumeSnapshot of a claim; {@code snapshotClass} empty means the default class. */
  public record TakeSnapshot(String name, String claim, String snapshotClass) implements Step {
    @Override
    public void run(Cluster c) {
      c.create(VolumeSnapshotBuilder.builder()
          .metadata(ObjectMeta.named(SimObjects.NAMESPACE, name))
          .spec(VolumeSnapshotSpecBuilder.builder()
              .source(VolumeSnapshotSourceBuilder.builder().persistentVolumeClaimName(Optional.of(claim)).build())
              .volumeSnapshotClassName(snapshotClass.isEmpty() ? Optional.empty() : Optional.of(snapshotClass))
              .build())
          .build());
    }

    @Override
    public String toString() {
      return "take snapshot " + name + " of claim " + claim + (snapshotClass.isEmpty() ? "" : " class=" + snapshotClass);
    }
  }

  /** The user deletes a VolumeSnapshot. */
  public record DeleteSnapshot(String name) implements Step {
    @Override
    public void run(Cluster c) {
      c.delete(snapshotKey(name));
    }

    @Override
    public String toString() {
      return "delete snapshot " + name;
    }
  }

  /**
   * The administrator deletes the VolumeSnapshotContent a snapshot is bound to (if any, looked up
   * when the step runs), under the snapshot.
   */
  public record DeleteContentOf(String snapshot) implements Step {
    @Override
    public void run(Cluster c) {
      c.state().get(snapshotKey(snapshot), VolumeSnapshot.class)
          .flatMap(v -> v.status().boundVolumeSnapshotContentName())
          .ifPresent(n -> c.delete(ObjectKey.cluster(VolumeSnapshotContent.KIND, n)));
    }

    @Override
    public String toString() {
      return "delete the content of snapshot " + snapshot;
    }
  }

  /** The user creates a claim of class {@code fast} restored from a snapshot ({@code dataSource}). */
  public record RestoreClaim(String name, String snapshot, long bytes) implements Step {
    @Override
    public void run(Cluster c) {
      c.create(withSource(name, bytes, new TypedLocalObjectReference(Optional.of(GROUP), VolumeSnapshot.KIND, snapshot)));
    }

    @Override
    public String toString() {
      return "restore claim " + name + " from snapshot " + snapshot + " " + (bytes >> 30) + "Gi";
    }
  }

  /** The user creates a claim of class {@code fast} cloned from another claim ({@code dataSource}). */
  public record CloneClaim(String name, String source, long bytes) implements Step {
    @Override
    public void run(Cluster c) {
      c.create(withSource(name, bytes, new TypedLocalObjectReference(Optional.empty(), PersistentVolumeClaim.KIND, source)));
    }

    @Override
    public String toString() {
      return "clone claim " + name + " from claim " + source + " " + (bytes >> 30) + "Gi";
    }
  }

  private static PersistentVolumeClaim withSource(String name, long bytes, TypedLocalObjectReference source) {
    PersistentVolumeClaim claim = SimObjects.claim(name, Optional.of("fast"), bytes,
        ImmutableList.of(AccessModes.READ_WRITE_ONCE), "");
    return claim.withSpec(claim.spec().withDataSource(Optional.of(source)));
  }
}
