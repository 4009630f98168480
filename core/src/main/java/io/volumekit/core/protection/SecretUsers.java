package io.volumekit.core.protection;

import io.volumekit.core.api.SnapshotterSecrets;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.provisioning.SecretParams;
import io.volumekit.core.state.ClaimIndex;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.PodSourceIndex;
import io.volumekit.core.state.VolumeSecretIndex;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecretReference;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotClass;
import io.volumekit.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who uses a Secret, in the sense of the secret protection: the objects for which the engine would
 * fetch it (docs/cases/protection.md, "Secret protection").
 *
 * <ul>
 *   <li>a PersistentVolume naming it in a {@code spec.csi.*SecretRef} or in its provisioner
 *       deletion-secret annotations, for as long as the PV object exists (DeleteVolume,
 *       ControllerUnpublish, NodeStage, NodePublish and the expansions read it);
 *   <li>a StorageClass naming it, without a template, in its {@code csi.storage.k8s.io/*-secret-*}
 *       parameters (every volume it provisions gets it);
 *   <li>a claim waiting for provisioning (no volume yet) by a class that names it through a template
 *       ({@code ${pvc.name}}, {@code ${pvc.namespace}}, {@code ${pv.name}}, ...), resolved for that
 *       claim as the provisioner resolves it ({@link SecretParams});
 *   <li>a VolumeSnapshotContent naming it in its deletion-secret annotations
 *       ({@code snapshot.storage.kubernetes.io/deletion-secret-name} and {@code -namespace}) while its
 *       deletion policy is Delete (DeleteSnapshot reads it) or its CSI snapshot is not cut yet
 *       (CreateSnapshot reads it);
 *   <li>a VolumeSnapshotClass naming it, without a template, in its
 *       {@code csi.storage.k8s.io/snapshotter-secret-name} and {@code -namespace} parameters;
 *   <li>a VolumeSnapshot waiting for its content whose class names it through a template
 *       ({@code ${volumesnapshotcontent.name}}, {@code ${volumesnapshot.namespace}},
 *       {@code ${volumesnapshot.name}}), resolved for that snapshot ({@link SnapshotterSecrets});
 *   <li>a running pod mounting it: scheduled ({@code spec.nodeName} set), not Succeeded or Failed,
 *       with a {@code secret} volume, a {@code projected} secret source or an inline CSI volume's
 *       {@code nodePublishSecretRef}. Secrets read through environment variables do not count.
 * </ul>
 *
 * <p>A user is named as {@code <Kind> <namespace/name>}; secret data is never read.
 */
public final class SecretUsers {

  private SecretUsers() {}

  /**
   * The objects using the secret, named {@code Kind name}, in a stable order (PVs, classes, claims,
   * snapshot contents, snapshot classes, snapshots, pods).
   */
  public static List<String> of(ClusterState state, ObjectKey secret) {
    List<String> out = new ArrayList<>();
    for (ObjectKey pv : state.index(VolumeSecretIndex.class).volumesUsing(secret)) {
      out.add("PersistentVolume " + pv.name());
    }
    List<String> claims = new ArrayList<>();
    for (StorageClass sc : state.list(StorageClass.KIND, StorageClass.class)) {
      if (untemplated(sc).contains(secret)) {
        out.add("StorageClass " + sc.metadata().name());
      }
      if (hasTemplate(sc)) {
        for (ObjectKey ck : state.index(ClaimIndex.class).unboundClaims(sc.metadata().name())) {
          Optional<PersistentVolumeClaim> claim = state.get(ck, PersistentVolumeClaim.class);
          if (claim.isPresent() && forClaim(sc, claim.get()).contains(secret)) {
            claims.add("PersistentVolumeClaim " + ck.namespacedName());
          }
        }
      }
    }
    out.addAll(claims);
    for (ObjectKey ck : state.index(VolumeSecretIndex.class).contentsUsing(secret)) {
      out.add("VolumeSnapshotContent " + ck.name());
    }
    List<String> snapshots = new ArrayList<>();
    for (VolumeSnapshotClass vsc : state.list(VolumeSnapshotClass.KIND, VolumeSnapshotClass.class)) {
      if (SnapshotterSecrets.untemplated(vsc.parameters()).filter(secret::equals).isPresent()) {
        out.add("VolumeSnapshotClass " + vsc.metadata().name());
      }
      if (SnapshotterSecrets.isTemplated(vsc.parameters())) {
        for (VolumeSnapshot snap : state.list(VolumeSnapshot.KIND, VolumeSnapshot.class)) {
          if (forSnapshot(vsc, snap).filter(secret::equals).isPresent()) {
            snapshots.add("VolumeSnapshot " + ObjectKey.of(snap).namespacedName());
          }
        }
      }
    }
    out.addAll(snapshots);
    for (ObjectKey pk : state.index(PodSourceIndex.class).podsUsing(secret)) {
      if (state.get(pk, Pod.class).filter(SecretUsers::isRunning).isPresent()) {
        out.add("Pod " + pk.namespacedName());
      }
    }
    return out;
  }

  /** Whether the pod counts as mounting its secrets: scheduled and not finished. */
  static boolean isRunning(Pod pod) {
    Optional<String> phase = pod.status().phase();
    return pod.nodeName().isPresent()
        && !phase.filter(p -> p.equals(PodStatus.SUCCEEDED) || p.equals(PodStatus.FAILED)).isPresent();
  }

  /** The secrets the class names without a template, for every operation. */
  static Set<ObjectKey> untemplated(StorageClass sc) {
    Set<ObjectKey> out = new LinkedHashSet<>();
    for (SecretParams.Operation op : SecretParams.Operation.values()) {
      SecretParams.untemplated(op, sc.parameters()).ifPresent(r -> out.add(key(r)));
    }
    return out;
  }

  /** Whether some secret of the class is named through a template. */
  static boolean hasTemplate(StorageClass sc) {
    for (SecretParams.Operation op : SecretParams.Operation.values()) {
      if (SecretParams.isTemplated(op, sc.parameters())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The secrets the class names through a template, resolved for the claim as the provisioner
   * would (nothing for a claim that already has a volume, or whose parameters are in error).
   */
  static Set<ObjectKey> forClaim(StorageClass sc, PersistentVolumeClaim claim) {
    Set<ObjectKey> out = new LinkedHashSet<>();
    if (claim.volumeName().isPresent()) {
      return out;
    }
    String pvName = Volumes.provisionedVolumeName(claim);
    for (SecretParams.Operation op : SecretParams.Operation.values()) {
      if (!SecretParams.isTemplated(op, sc.parameters())) {
        continue;
      }
      try {
        SecretParams.resolve(op, sc.parameters(), pvName, claim).ifPresent(r -> out.add(key(r)));
      } catch (SecretParams.ParameterException e) {
        // the provisioner reports the error on the claim and fetches nothing
      }
    }
    return out;
  }

  /**
   * The secret a templated snapshot class names for one of its snapshots still waiting for its
   * content (dynamic, not being deleted, no content bound), resolved as the snapshot controller
   * will resolve it for the content {@code snapcontent-<uid>}; empty otherwise or when the template
   * is wrong (nothing is fetched then).
   */
  static Optional<ObjectKey> forSnapshot(VolumeSnapshotClass cls, VolumeSnapshot snap) {
    var meta = snap.metadata();
    if (meta.isDeleting() || meta.uid().isEmpty() || snap.status().boundVolumeSnapshotContentName().isPresent()
        || snap.spec().source().persistentVolumeClaimName().isEmpty()
        || !snap.spec().volumeSnapshotClassName().filter(cls.metadata().name()::equals).isPresent()) {
      return Optional.empty();
    }
    try {
      return SnapshotterSecrets.resolve(cls.parameters(), "snapcontent-" + meta.uid().get(),
          meta.namespaceOrEmpty(), meta.name());
    } catch (SnapshotterSecrets.InvalidSecretParameters e) {
      return Optional.empty(); // the snapshot controller reports the error on the snapshot
    }
  }

  /** The secrets a pod's volumes mount (PodSourceIndex without the ConfigMaps). */
  static Set<ObjectKey> mountedBy(Pod pod) {
    Set<ObjectKey> out = new LinkedHashSet<>();
    for (ObjectKey k : PodSourceIndex.sourcesOf(pod)) {
      if (k.kind().equals(Secret.KIND)) {
        out.add(k);
      }
    }
    return out;
  }

  private static ObjectKey key(SecretReference r) {
    return ObjectKey.namespaced(Secret.KIND, r.namespace().orElse(""), r.name());
  }
}
