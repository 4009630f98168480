package io.volumekit.core.podvolume;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.migration.InTreePlugin;
import io.volumekit.core.migration.TranslationException;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.NodePodIndex;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Inline in-tree pod volumes of migrated plugins (an {@code awsElasticBlockStore} directly in
 * {@code spec.volumes}), as the attach/detach controller and the kubelet see them: translated by
 * the plugin's {@code translateInTreeInlineVolumeToCSI} into a PV that exists only in memory
 * (Kubernetes' {@code TranslateInTreeSpecToCSI} with {@code InlineVolumeSpecForCSIMigration}).
 *
 * <p>Such a volume is known on a node by its {@link Volumes#inlineVolumeName} ({@code
 * <driver>^<handle>}): the key of its device, the name the kubelet reports in use, the attachment
 * index's name. Its pod directory and messages use the translated PV's name ({@code
 * ebs.csi.aws.com-vol-1}), as the kubelet names the volume spec.
 */
public final class InlineMigratedVolumes {

  private InlineMigratedVolumes() {}

  /** A pod volume and the PV it translates to (with a CSI source). */
  public record Inline(Volume volume, PersistentVolume pv) {

    /** The translated CSI source. */
    public CSIPersistentVolumeSource csi() {
      return pv.csi().orElseThrow();
    }

    /** The volume's {@link Volumes#inlineVolumeName}. */
    public String name() {
      return Volumes.inlineVolumeName(csi().driver(), csi().volumeHandle());
    }
  }

  /** A pod using an inline migrated volume, with its translation. */
  public record Use(Pod pod, Inline inline) {}

  /**
   * The pod volume translated, if it is an inline volume of a migrated plugin.
   *
   * @throws TranslationException if its source does not translate
   */
  public static Optional<Inline> translate(CsiMigration migration, Pod pod, Volume v) {
    Optional<InTreePlugin> plugin = migration.plugin(v);
    if (plugin.isEmpty()) {
      return Optional.empty();
    }
    PersistentVolume pv = plugin.get().translateInTreeInlineVolumeToCSI(v, pod.metadata().namespaceOrEmpty());
    return pv.csi().isPresent() ? Optional.of(new Inline(v, pv)) : Optional.empty();
  }

  /**
   * The pod's inline migrated volumes that translate, in volume order (one that does not is left
   * out: the kubelet reports it on the pod).
   */
  public static List<Inline> of(CsiMigration migration, Pod pod) {
    List<Inline> out = new ArrayList<>();
    for (Volume v : pod.spec().volumes()) {
      try {
        translate(migration, pod, v).ifPresent(out::add);
      } catch (TranslationException e) {
        // reported by the kubelet
      }
    }
    return out;
  }

  /**
   * The pods placed on the node (in key order) with an inline migrated volume of that {@link
   * Volumes#inlineVolumeName}, each with its first such volume. O(pods on the node).
   */
  public static List<Use> usersOnNode(ClusterState state, CsiMigration migration, String node, String name) {
    List<Use> out = new ArrayList<>();
    for (ObjectKey k : state.index(NodePodIndex.class).podsOn(node)) {
      Optional<Pod> p = state.get(k, Pod.class).filter(x -> x.nodeName().filter(node::equals).isPresent());
      if (p.isEmpty()) {
        continue;
      }
      of(migration, p.get()).stream().filter(i -> i.name().equals(name)).findFirst()
          .ifPresent(i -> out.add(new Use(p.get(), i)));
    }
    return out;
  }
}
