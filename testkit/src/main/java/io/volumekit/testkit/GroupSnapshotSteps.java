package io.volumekit.testkit;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.groupsnapshot.GroupSnapshots;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshot;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotClassBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotSourceBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotSpecBuilder;
import io.volumekit.model.meta.LabelSelector;
import io.volumekit.model.meta.ObjectMeta;
import java.util.Optional;

/**
 * The steps of a history with volume group snapshots ({@link HistoryGenerator#withGroupSnapshots()}):
 * group snapshot classes, claims labelled into groups ({@link LabelClaim}), VolumeGroupSnapshots
 * of the claims a label selects ({@link TakeGroupSnapshot}), and deletions of group snapshots and
 * of their contents, racing the claims' own lifecycle and the driver's faults.
 */
public final class GroupSnapshotSteps {

  private GroupSnapshotSteps() {}

  /** The label a group snapshot's selector matches ({@code group=<name>}). */
  public static final String LABEL = "group";

  static ObjectKey groupKey(String name) {
    return ObjectKey.namespaced(VolumeGroupSnapshot.KIND, SimObjects.NAMESPACE, name);
  }

  /** The administrator creates a VolumeGroupSnapshotClass of the simulated driver. */
  public record CreateGroupClass(String name, String deletionPolicy, boolean isDefault) implements Step {
    @Override
    public void run(Cluster c) {
      ObjectMeta meta = ObjectMeta.named(name);
      if (isDefault) {
        meta = meta.withAnnotation(GroupSnapshots.IS_DEFAULT_CLASS, "true");
      }
      c.create(VolumeGroupSnapshotClassBuilder.builder().metadata(meta).driver(SimObjects.DRIVER)
          .deletionPolicy(deletionPolicy).parameters(ImmutableMap.of()).build());
    }

    @Override
    public String toString() {
      return "create group snapshot class " + name + " " + deletionPolicy + (isDefault ? " (default)" : "");
    }
  }

  /**
   * The user sets the label {@code group=<group>} on a claim, if the claim exists (an empty
   * {@code group} removes the label).
   */
  public record LabelClaim(String claim, String group) implements Step {
    @Override
    public void run(Cluster c) {
      if (c.state().get(Step.claimKey(claim), PersistentVolumeClaim.class).isEmpty()) {
        return;
      }
      c.update(Step.claimKey(claim), o -> {
        PersistentVolumeClaim pvc = (PersistentVolumeClaim) o;
        ImmutableMap.Builder<String, String> labels = ImmutableMap.builder();
        pvc.metadata().labels().forEach((k, v) -> {
          if (!k.equals(LABEL)) {
            labels.put(k, v);
          }
        });
        if (!group.isEmpty()) {
          labels.put(LABEL, group);
        }
        return pvc.withMetadata(pvc.metadata().withLabels(labels.buildOrThrow()));
      });
    }

    @Override
    public String toString() {
      return group.isEmpty() ? "unlabel claim " + claim : "label claim " + claim + " " + LABEL + "=" + group;
    }
  }

  /**
   * The user takes a VolumeGroupSnapshot of the claims labelled {@code group=<group>};
   * {@code groupClass} empty means the default class.
   */
  public record TakeGroupSnapshot(String name, String group, String groupClass) implements Step {
    @Override
    public void run(Cluster c) {
      c.create(VolumeGroupSnapshotBuilder.builder().metadata(ObjectMeta.named(SimObjects.NAMESPACE, name))
          .spec(VolumeGroupSnapshotSpecBuilder.builder()
              .source(VolumeGroupSnapshotSourceBuilder.builder()
                  .selector(Optional.of(LabelSelector.of(ImmutableMap.of(LABEL, group)))).build())
              .volumeGroupSnapshotClassName(groupClass.isEmpty() ? Optional.empty() : Optional.of(groupClass))
              .build())
          .build());
    }

    @Override
    public String toString() {
      return "take group snapshot " + name + " of " + LABEL + "=" + group
          + (groupClass.isEmpty() ? "" : " class=" + groupClass);
    }
  }

  /** The user deletes a VolumeGroupSnapshot. */
  public record DeleteGroupSnapshot(String name) implements Step {
    @Override
    public void run(Cluster c) {
      c.delete(groupKey(name));
    }

    @Override
    public String toString() {
      return "delete group snapshot " + name;
    }
  }

  /**
   * The administrator deletes a VolumeGroupSnapshotContent made for the group snapshot named {@code
   * group} (the first by name, if any, looked up when the step runs): under the group snapshot, or
   * left behind by it (policy Retain).
   */
  public record DeleteGroupContentOf(String group) implements Step {
    @Override
    public void run(Cluster c) {
      c.state().list(VolumeGroupSnapshotContent.KIND, VolumeGroupSnapshotContent.class).stream()
          .filter(content -> content.spec().volumeGroupSnapshotRef().name().equals(Optional.of(group)))
          .map(content -> content.metadata().name())
          .sorted().findFirst()
          .ifPresent(n -> c.delete(ObjectKey.cluster(VolumeGroupSnapshotContent.KIND, n)));
    }

    @Override
    public String toString() {
      return "delete a content of group snapshot " + group;
    }
  }
}
