package io.volumekit.core.api;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.VolumeAttachment;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * Helpers reading storage facts from objects, as Kubernetes' {@code
 * component-helpers/storage/volume} does (class of a claim or PV, pre-binding, sizes, keys).
 */
public final class Volumes {

  private Volumes() {}

  /** The key of the claim with the namespace and name. */
  public static ObjectKey claimKey(String namespace, String name) {
    return ObjectKey.namespaced(PersistentVolumeClaim.KIND, namespace, name);
  }

  /** The key of the PV with the name. */
  public static ObjectKey volumeKey(String name) {
    return ObjectKey.cluster(PersistentVolume.KIND, name);
  }

  /**
   * The name an inline in-tree pod volume migrated to CSI goes by on a node and in the attachment
   * index: {@code <driver>^<volumeHandle>}, Kubernetes' unique CSI volume name ({@code
   * kubernetes.io/csi/<driver>^<handle>}) without the plugin prefix. It is what the kubelet reports
   * in use for such a volume. A {@code ^} never occurs in a PV name, so it cannot collide with one.
   */
  public static String inlineVolumeName(String driver, String volumeHandle) {
    return driver + "^" + volumeHandle;
  }

  /** Whether the name is an {@link #inlineVolumeName} rather than a PV name. */
  public static boolean isInlineVolumeName(String name) {
    return name.indexOf('^') >= 0;
  }

  /**
   * The volume a VolumeAttachment attaches: its {@code persistentVolumeName}, or the {@link
   * #inlineVolumeName} of the CSI source in its {@code inlineVolumeSpec}.
   */
  public static Optional<String> attachedVolume(VolumeAttachment va) {
    return va.spec().source().persistentVolumeName().or(() -> va.spec().source().inlineVolumeSpec()
        .flatMap(s -> s.csi()).map(c -> inlineVolumeName(c.driver(), c.volumeHandle())));
  }

  /** The key of the StorageClass with the name. */
  public static ObjectKey classKey(String name) {
    return ObjectKey.cluster(StorageClass.KIND, name);
  }

  /** The key of a claim a PV's claimRef names, if it has one. */
  public static Optional<ObjectKey> claimRefKey(PersistentVolume pv) {
    return pv.spec().claimRef().map(r -> claimKey(r.namespaceOrEmpty(), r.nameOrEmpty()));
  }

  /** {@code GetPersistentVolumeClaimClass}: beta annotation, else spec, else {@code ""}. */
  public static String storageClass(PersistentVolumeClaim claim) {
    Optional<String> beta = claim.metadata().annotation(Annotations.BETA_STORAGE_CLASS);
    return beta.orElseGet(() -> claim.spec().storageClassName().orElse(""));
  }

  /** {@code GetPersistentVolumeClass}: beta annotation, else {@code spec.storageClassName}. */
  public static String storageClass(PersistentVolume pv) {
    Optional<String> beta = pv.metadata().annotation(Annotations.BETA_STORAGE_CLASS);
    return beta.orElseGet(() -> pv.spec().storageClassName());
  }

  /**
   * {@code PersistentVolumeClaimHasClass}: the beta annotation is present or {@code
   * spec.storageClassName} is set (an explicit {@code ""} counts: it is never defaulted).
   */
  public static boolean hasClass(PersistentVolumeClaim claim) {
    return claim.metadata().annotations().containsKey(Annotations.BETA_STORAGE_CLASS)
        || claim.spec().storageClassName().isPresent();
  }

  /** {@code IsVolumeBoundToClaim}: claimRef names the claim and its uid is empty or the claim's. */
  public static boolean isBoundToClaim(PersistentVolume pv, PersistentVolumeClaim claim) {
    if (pv.spec().claimRef().isEmpty()) {
      return false;
    }
    ObjectReference r = pv.spec().claimRef().get();
    if (!r.nameOrEmpty().equals(claim.metadata().name())
        || !r.namespaceOrEmpty().equals(claim.metadata().namespaceOrEmpty())) {
      return false;
    }
    return r.uidOrEmpty().isEmpty() || r.uidOrEmpty().equals(claim.metadata().uid().orElse(""));
  }

  /** Requested bytes of a claim (0 when absent). */
  public static long requestedBytes(PersistentVolumeClaim claim) {
    return claim.requestedStorage().map(Quantity::value).orElse(0L);
  }

  /** Capacity bytes of a PV (0 when absent). */
  public static long capacityBytes(PersistentVolume pv) {
    Quantity q = pv.spec().capacity().get("storage"); // not through Optional<Long>: no boxing per call
    return q == null ? 0L : q.value();
  }

  /** Whether the class binds when the first consumer is scheduled. */
  public static boolean isWaitForFirstConsumer(StorageClass sc) {
    return sc.volumeBindingMode().filter("WaitForFirstConsumer"::equals).isPresent();
  }

  /**
   * The default StorageClass: among classes annotated as default, the newest by creation time, ties
   * by name ascending ({@code GetDefaultClass}).
   *
   * @param classes every StorageClass in the cluster
   */
  public static Optional<StorageClass> defaultClass(Iterable<StorageClass> classes) {
    StorageClass best = null;
    Comparator<StorageClass> newer =
        Comparator.comparing((StorageClass s) -> s.metadata().creationTimestamp().orElse(Instant.EPOCH))
            .thenComparing(s -> s.metadata().name(), Comparator.reverseOrder());
    for (StorageClass sc : classes) {
      if (sc.isDefault() && (best == null || newer.compare(sc, best) > 0)) {
        best = sc;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether the pod is scheduled: {@code spec.nodeName} is set. */
  public static boolean isScheduled(Pod pod) {
    return pod.nodeName().isPresent();
  }

  /** The PV name a CSI provisioner gives a claim's volume: {@code pvc-<claim uid>}. */
  public static String provisionedVolumeName(PersistentVolumeClaim claim) {
    return "pvc-" + claim.metadata().uid().orElseThrow(() -> new IllegalArgumentException("claim without uid"));
  }

  /** A full object reference to the claim, as the PV controller's {@code GetBindVolumeToClaim} writes it into a PV's claimRef. */
  public static ObjectReference claimReference(PersistentVolumeClaim claim) {
    return ObjectReferenceBuilder.builder()
        .kind(Optional.of(PersistentVolumeClaim.KIND))
        .apiVersion(Optional.of(PersistentVolumeClaim.API_VERSION))
        .namespace(claim.metadata().namespace())
        .name(Optional.of(claim.metadata().name()))
        .uid(claim.metadata().uid())
        .resourceVersion(claim.metadata().resourceVersion())
        .build();
  }
}
