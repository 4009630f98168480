package io.volumekit.model.meta;

import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.core.ConfigMap;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.Namespace;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Secret;
import io.volumekit.model.populator.VolumePopulator;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotClass;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.CSIStorageCapacity;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.model.storage.VolumeAttributesClass;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The registry of kinds volumekit understands, keyed by apiVersion + kind (what the codec
 * dispatches on) and findable by any name kubectl accepts (kind, plural, short name).
 */
public final class Kinds {
  private Kinds() {}

  /** Every known kind, core first. */
  public static final List<KindInfo> ALL =
      List.of(
          new KindInfo("v1", "PersistentVolume", "persistentvolumes", List.of("pv"), false, PersistentVolume.class),
          new KindInfo("v1", "PersistentVolumeClaim", "persistentvolumeclaims", List.of("pvc"), true,
              PersistentVolumeClaim.class),
          new KindInfo("v1", "Pod", "pods", List.of("po"), true, Pod.class),
          new KindInfo("v1", "Node", "nodes", List.of("no"), false, Node.class),
          new KindInfo("v1", "Namespace", "namespaces", List.of("ns"), false, Namespace.class),
          new KindInfo("v1", "Secret", "secrets", List.of(), true, Secret.class),
          new KindInfo("v1", "ConfigMap", "configmaps", List.of("cm"), true, ConfigMap.class),
          new KindInfo("v1", "Event", "events", List.of("ev"), true, Event.class),
          new KindInfo("storage.k8s.io/v1", "StorageClass", "storageclasses", List.of("sc"), false,
              StorageClass.class),
          new KindInfo("storage.k8s.io/v1", "VolumeAttributesClass", "volumeattributesclasses", List.of("vac"),
              false, VolumeAttributesClass.class),
          new KindInfo("storage.k8s.io/v1", "CSIDriver", "csidrivers", List.of(), false, CSIDriver.class),
          new KindInfo("storage.k8s.io/v1", "CSINode", "csinodes", List.of(), false, CSINode.class),
          new KindInfo("storage.k8s.io/v1", "VolumeAttachment", "volumeattachments", List.of(), false,
              VolumeAttachment.class),
          new KindInfo("storage.k8s.io/v1", "CSIStorageCapacity", "csistoragecapacities", List.of(), true,
              CSIStorageCapacity.class),
          new KindInfo("snapshot.storage.k8s.io/v1", "VolumeSnapshot", "volumesnapshots", List.of("vs"), true,
              VolumeSnapshot.class),
          new KindInfo("snapshot.storage.k8s.io/v1", "VolumeSnapshotContent", "volumesnapshotcontents",
              List.of("vsc", "vscs"), false, VolumeSnapshotContent.class),
          new KindInfo("snapshot.storage.k8s.io/v1", "VolumeSnapshotClass", "volumesnapshotclasses",
              List.of("vsclass", "vsclasses"), false, VolumeSnapshotClass.class),
          new KindInfo("groupsnapshot.storage.k8s.io/v1beta1", "VolumeGroupSnapshot", "volumegroupsnapshots",
              List.of("vgs"), true, io.volumekit.model.groupsnapshot.VolumeGroupSnapshot.class),
          new KindInfo("groupsnapshot.storage.k8s.io/v1beta1", "VolumeGroupSnapshotContent",
              "volumegroupsnapshotcontents", List.of("vgsc", "vgscs"), false,
              io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent.class),
          new KindInfo("groupsnapshot.storage.k8s.io/v1beta1", "VolumeGroupSnapshotClass",
              "volumegroupsnapshotclasses", List.of("vgsclass", "vgsclasses"), false,
              io.volumekit.model.groupsnapshot.VolumeGroupSnapshotClass.class),
          new KindInfo("populator.storage.k8s.io/v1beta1", "VolumePopulator", "volumepopulators", List.of(), false,
              VolumePopulator.class),
          new KindInfo("gateway.networking.k8s.io/v1beta1", "ReferenceGrant", "referencegrants", List.of("refgrant"), true,
              io.volumekit.model.gateway.ReferenceGrant.class),
          new KindInfo("apps/v1", "StatefulSet", "statefulsets", List.of("sts"), true, StatefulSet.class));

  /** The kind with this apiVersion and kind, as written in a manifest. */
  public static Optional<KindInfo> byApiVersionAndKind(String apiVersion, String kind) {
    return ALL.stream().filter(k -> k.apiVersion().equals(apiVersion) && k.kind().equals(kind)).findFirst();
  }

  /** The kind of each record class, found once per class (validation asks on every write). */
  private static final ClassValue<Optional<KindInfo>> BY_TYPE = new ClassValue<>() {
    @Override
    protected Optional<KindInfo> computeValue(Class<?> type) {
      return ALL.stream().filter(k -> k.type().equals(type)).findFirst();
    }
  };

  /** The kind of a record class. */
  public static KindInfo of(Class<? extends ApiObject> type) {
    return BY_TYPE.get(type)
        .orElseThrow(() -> new IllegalArgumentException("not a known kind: " + type.getName()));
  }

  /** The kind of an object. */
  public static KindInfo of(ApiObject object) {
    return of(object.getClass());
  }

  /**
   * The kind named as kubectl accepts it: kind, plural or short name, any case, optionally
   * qualified with ".group" (e.g. {@code storageclasses.storage.k8s.io}).
   */
  public static Optional<KindInfo> byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (KindInfo k : ALL) {
      String kind = k.kind().toLowerCase(Locale.ROOT);
      String g = k.group().isEmpty() ? "" : "." + k.group();
      if (n.equals(kind) || n.equals(k.plural()) || k.shortNames().contains(n)
          || (!g.isEmpty() && (n.equals(kind + g) || n.equals(k.plural() + g)))) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
