package io.volumekit.model.validation;

import com.google.common.collect.ImmutableList;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.apps.StatefulSetSpec;
import io.volumekit.model.core.*;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.CSIDriverSpec;
import io.volumekit.model.storage.StorageClass;
import java.util.Optional;

/**
 * The API server's defaulting, applied before validation and storage
 * ({@code pkg/apis/core/v1/defaults.go}, {@code pkg/apis/storage/v1/defaults.go} and the
 * registry strategies): what {@code kubectl get -o yaml} shows that the manifest did not say.
 *
 * <p>Applied: PersistentVolume reclaim policy {@code Retain}, volume mode {@code Filesystem},
 * phase {@code Pending}; PersistentVolumeClaim volume mode {@code Filesystem}, phase {@code
 * Pending}, {@code dataSource}/{@code dataSourceRef} mirrored when only one is set (and
 * dataSourceRef has no namespace); StorageClass reclaim policy {@code Delete} and binding mode
 * {@code Immediate}; CSIDriver attachRequired {@code true}, podInfoOnMount/requiresRepublish/
 * storageCapacity/seLinuxMount {@code false}, fsGroupPolicy {@code ReadWriteOnceWithFSType},
 * volumeLifecycleModes {@code [Persistent]}; Pod restartPolicy {@code Always}, schedulerName
 * {@code default-scheduler}, phase {@code Pending}, container imagePullPolicy ({@code Always} for
 * {@code :latest} or untagged images, else {@code IfNotPresent}), port protocol {@code TCP},
 * file modes {@code 0644} of secret/configMap/downwardAPI/projected volumes, an ephemeral
 * volume's claim volume mode; Secret type {@code Opaque} and its {@code stringData} folded into
 * {@code data} ({@link Secret#withStringDataFolded()}: the API server's conversion, done here so
 * every write path that defaults gets it); Namespace phase {@code Active}; StatefulSet podManagementPolicy {@code OrderedReady}, replicas 1, revisionHistoryLimit 10, claim retention {@code Retain}/{@code Retain}, ordinals.start 0, and its pod and claim templates as above (updateStrategy kept as written). Other kinds are returned
 * unchanged. Defaulting is idempotent.
 */
public final class Defaults {
  private Defaults() {}

  static final int DEFAULT_MODE = 0644;

  /**
   * Whether the API server keeps {@code metadata.generation} for objects of the kind: set to 1 on
   * create and bumped on spec changes by the kinds' registry strategies. Secrets and ConfigMaps
   * have no spec, and their strategies never set it, so their objects show no generation.
   */
  public static boolean tracksGeneration(String kind) {
    return !kind.equals(Secret.KIND) && !kind.equals(ConfigMap.KIND);
  }

  /** The object with the API server's defaults filled in. */
  @SuppressWarnings("unchecked")
  public static <T extends ApiObject> T apply(T object) {
    ApiObject r = object;
    if (object instanceof PersistentVolume pv) {
      r = pv.withSpec(pv.spec()
              .withPersistentVolumeReclaimPolicy(or(pv.spec().persistentVolumeReclaimPolicy(), ReclaimPolicies.RETAIN))
              .withVolumeMode(or(pv.spec().volumeMode(), VolumeModes.FILESYSTEM)))
          .withStatus(pv.status().withPhase(or(pv.status().phase(), PersistentVolumeStatus.PENDING)));
    } else if (object instanceof PersistentVolumeClaim pvc) {
      r = pvc.withSpec(claimSpec(pvc.spec()))
          .withStatus(pvc.status().withPhase(or(pvc.status().phase(), PersistentVolumeClaimStatus.PENDING)));
    } else if (object instanceof StorageClass sc) {
      r = sc.withReclaimPolicy(or(sc.reclaimPolicy(), ReclaimPolicies.DELETE))
          .withVolumeBindingMode(or(sc.volumeBindingMode(), BindingModes.IMMEDIATE));
    } else if (object instanceof CSIDriver d) {
      CSIDriverSpec s = d.spec();
      r = d.withSpec(s.withAttachRequired(or(s.attachRequired(), true))
          .withPodInfoOnMount(or(s.podInfoOnMount(), false))
          .withRequiresRepublish(or(s.requiresRepublish(), false))
          .withStorageCapacity(or(s.storageCapacity(), false))
          .withSeLinuxMount(or(s.seLinuxMount(), false))
          .withFsGroupPolicy(or(s.fsGroupPolicy(), "ReadWriteOnceWithFSType"))
          .withVolumeLifecycleModes(s.volumeLifecycleModes().isEmpty()
              ? ImmutableList.of(CSIDriverSpec.PERSISTENT) : s.volumeLifecycleModes()));
    } else if (object instanceof Pod pod) {
      r = pod.withSpec(podSpec(pod.spec()))
          .withStatus(pod.status().withPhase(or(pod.status().phase(), PodStatus.PENDING)));
    } else if (object instanceof Secret s) {
      r = s.withStringDataFolded().withType(or(s.type(), "Opaque"));
    } else if (object instanceof StatefulSet set) {
      r = statefulSet(set);
    } else if (object instanceof Namespace ns) {
      r = ns.withStatus(ns.status().withPhase(or(ns.status().phase(), "Active")));
    }
    return (T) r;
  }

  /**
   * apps/v1 StatefulSet: podManagementPolicy {@code OrderedReady}, replicas 1, revisionHistoryLimit
   * 10, claim retention {@code Retain}/{@code Retain}, ordinals.start 0 when ordinals is given; the
   * pod template's spec and each claim template (volume mode, phase Pending) defaulted as their
   * kinds are. updateStrategy is kept as written.
   */
  static StatefulSet statefulSet(StatefulSet set) {
    StatefulSetSpec s = set.spec();
    StatefulSetSpec d = s.withPodManagementPolicy(or(s.podManagementPolicy(), StatefulSetSpec.ORDERED_READY))
        .withReplicas(or(s.replicas(), 1))
        .withRevisionHistoryLimit(or(s.revisionHistoryLimit(), 10))
        .withPersistentVolumeClaimRetentionPolicy(Optional.of(s.retentionPolicy()))
        .withOrdinals(s.ordinals().map(o -> o.withStart(or(o.start(), 0))))
        .withTemplate(s.template().withSpec(podSpec(s.template().spec())))
        .withVolumeClaimTemplates(s.volumeClaimTemplates().stream()
            .map(c -> c.withSpec(claimSpec(c.spec()))
                .withStatus(c.status().withPhase(or(c.status().phase(), PersistentVolumeClaimStatus.PENDING))))
            .collect(ImmutableList.toImmutableList()));
    return set.withSpec(d);
  }

  static PersistentVolumeClaimSpec claimSpec(PersistentVolumeClaimSpec s) {
    PersistentVolumeClaimSpec r = s.withVolumeMode(or(s.volumeMode(), VolumeModes.FILESYSTEM));
    if (r.dataSource().isPresent() && r.dataSourceRef().isEmpty()) {
      TypedLocalObjectReference d = r.dataSource().get();
      r = r.withDataSourceRef(Optional.of(new TypedObjectReference(d.apiGroup(), d.kind(), d.name(), Optional.empty())));
    } else if (r.dataSourceRef().isPresent() && r.dataSource().isEmpty()
        && r.dataSourceRef().get().namespace().orElse("").isEmpty()) {
      TypedObjectReference d = r.dataSourceRef().get();
      r = r.withDataSource(Optional.of(new TypedLocalObjectReference(d.apiGroup(), d.kind(), d.name())));
    }
    return r;
  }

  static PodSpec podSpec(PodSpec s) {
    return s.withRestartPolicy(or(s.restartPolicy(), "Always"))
        .withSchedulerName(or(s.schedulerName(), "default-scheduler"))
        .withContainers(s.containers().stream().map(Defaults::container).collect(ImmutableList.toImmutableList()))
        .withInitContainers(s.initContainers().stream().map(Defaults::container).collect(ImmutableList.toImmutableList()))
        .withVolumes(s.volumes().stream().map(Defaults::volume).collect(ImmutableList.toImmutableList()));
  }

  static Container container(Container c) {
    String image = c.image().orElse("");
    String tag = image.contains("@") ? "" : image.substring(image.lastIndexOf('/') + 1);
    boolean latest = !image.contains("@") && (!tag.contains(":") || tag.endsWith(":latest"));
    return c.withImagePullPolicy(or(c.imagePullPolicy(), latest ? "Always" : "IfNotPresent"))
        .withPorts(c.ports().stream().map(p -> p.withProtocol(or(p.protocol(), "TCP")))
            .collect(ImmutableList.toImmutableList()));
  }

  static Volume volume(Volume v) {
    Volume r = v;
    if (v.secret().isPresent()) {
      r = r.withSecret(Optional.of(v.secret().get().withDefaultMode(or(v.secret().get().defaultMode(), DEFAULT_MODE))));
    }
    if (v.configMap().isPresent()) {
      r = r.withConfigMap(Optional.of(v.configMap().get().withDefaultMode(or(v.configMap().get().defaultMode(), DEFAULT_MODE))));
    }
    if (v.downwardAPI().isPresent()) {
      r = r.withDownwardAPI(Optional.of(v.downwardAPI().get().withDefaultMode(or(v.downwardAPI().get().defaultMode(), DEFAULT_MODE))));
    }
    if (v.projected().isPresent()) {
      r = r.withProjected(Optional.of(v.projected().get().withDefaultMode(or(v.projected().get().defaultMode(), DEFAULT_MODE))));
    }
    if (v.ephemeral().isPresent() && v.ephemeral().get().volumeClaimTemplate().isPresent()) {
      PersistentVolumeClaimTemplate t = v.ephemeral().get().volumeClaimTemplate().get();
      r = r.withEphemeral(Optional.of(new EphemeralVolumeSource(Optional.of(t.withSpec(claimSpec(t.spec()))))));
    }
    return r;
  }

  private static <X> Optional<X> or(Optional<X> value, X fallback) {
    return value.isPresent() ? value : Optional.of(fallback);
  }
}
