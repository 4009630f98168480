package io.volumekit.core.protection;

import io.volumekit.core.controller.ChangeFact;
import io.volumekit.core.api.Finalizers;
import io.volumekit.core.api.Reasons;
import io.volumekit.core.api.SnapshotterSecrets;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClaimIndex;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.VolumeSecretIndex;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Secret;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotClass;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.storage.StorageClass;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps a Secret that volumes need: the {@code volumekit.io/secret-protection} finalizer is removed
 * from a deleted Secret only when nothing uses it any more ({@link SecretUsers}), so that the
 * DeleteVolume, ControllerUnpublish and NodeStage of a volume, and the CreateSnapshot and
 * DeleteSnapshot of a snapshot, always find the secret they were given (docs/cases/protection.md, "Secret protection").
 *
 * <p>Kubernetes has no such controller (in-use protection of arbitrary objects, "liens", is only
 * proposed); it is modelled on {@code pvc_protection_controller.go}: the finalizer is added at
 * creation ({@link ProtectionAdmission}) and to any Secret lacking it, a deleted Secret stays
 * Terminating while in use, and while it is held a {@code SecretInUse} event on the Secret names
 * its users (never its data). docs/kubernetes-differences.md lists the difference.
 */
public final class SecretProtectionController implements Controller {

  /** The controller's name (the event source). */
  public static final String NAME = "secret-protection";

  /** Users named in one event; the rest are counted. */
  static final int USERS_SHOWN = 5;

  @Override
  public String name() {
    return NAME;
  }

  /** Some secret is being deleted and held for its users ({@link VolumeSecretIndex#anySecretDeleting}). */
  private static final ChangeFact SECRET_DELETING = ChangeFact.of("secret deleting",
      f -> f.state().index(VolumeSecretIndex.class).anySecretDeleting());

  @Override
  public WatchedKinds watches() {
    // The users of secrets matter only while some secret is held for them (being deleted).
    WatchedKinds w = WatchedKinds.of(Secret.KIND, PersistentVolume.KIND, StorageClass.KIND, PersistentVolumeClaim.KIND,
        Pod.KIND, VolumeSnapshotContent.KIND, VolumeSnapshotClass.KIND, VolumeSnapshot.KIND);
    for (String k : List.of(PersistentVolume.KIND, StorageClass.KIND, PersistentVolumeClaim.KIND, Pod.KIND,
        VolumeSnapshotContent.KIND, VolumeSnapshotClass.KIND, VolumeSnapshot.KIND)) {
      w = w.when(k, SECRET_DELETING);
    }
    return w;
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    // A user appeared, changed or went away: re-examine the deleted secrets it named.
    if (!change.kind().equals(Secret.KIND) && !state.index(VolumeSecretIndex.class).anySecretDeleting()) {
      return; // no secret is held for its users: nothing to re-examine (the usual case)
    }
    Set<ObjectKey> named = new LinkedHashSet<>();
    switch (change.kind()) {
      case Secret.KIND -> {
        change.after()
            .filter(o -> o.metadata().isDeleting() || !o.metadata().hasFinalizer(Finalizers.SECRET_PROTECTION))
            .ifPresent(o -> enqueue.accept(change.key()));
        return;
      }
      case PersistentVolume.KIND -> {
        change.beforeAs(PersistentVolume.class).ifPresent(pv -> named.addAll(VolumeSecretIndex.secretsOf(pv)));
        change.afterAs(PersistentVolume.class).ifPresent(pv -> named.addAll(VolumeSecretIndex.secretsOf(pv)));
      }
      case Pod.KIND -> {
        change.beforeAs(Pod.class).ifPresent(p -> named.addAll(SecretUsers.mountedBy(p)));
        change.afterAs(Pod.class).ifPresent(p -> named.addAll(SecretUsers.mountedBy(p)));
      }
      case StorageClass.KIND -> {
        change.beforeAs(StorageClass.class).ifPresent(sc -> named.addAll(classSecrets(state, sc)));
        change.afterAs(StorageClass.class).ifPresent(sc -> named.addAll(classSecrets(state, sc)));
      }
      case PersistentVolumeClaim.KIND -> {
        change.beforeAs(PersistentVolumeClaim.class).ifPresent(c -> named.addAll(claimSecrets(state, c)));
        change.afterAs(PersistentVolumeClaim.class).ifPresent(c -> named.addAll(claimSecrets(state, c)));
      }
      case VolumeSnapshotContent.KIND -> {
        change.beforeAs(VolumeSnapshotContent.class).flatMap(SnapshotterSecrets::deletionSecret).ifPresent(named::add);
        change.afterAs(VolumeSnapshotContent.class).flatMap(SnapshotterSecrets::deletionSecret).ifPresent(named::add);
      }
      case VolumeSnapshotClass.KIND -> {
        change.beforeAs(VolumeSnapshotClass.class).ifPresent(c -> named.addAll(snapshotClassSecrets(state, c)));
        change.afterAs(VolumeSnapshotClass.class).ifPresent(c -> named.addAll(snapshotClassSecrets(state, c)));
      }
      case VolumeSnapshot.KIND -> {
        change.beforeAs(VolumeSnapshot.class).ifPresent(v -> named.addAll(snapshotSecrets(state, v)));
        change.afterAs(VolumeSnapshot.class).ifPresent(v -> named.addAll(snapshotSecrets(state, v)));
      }
      default -> {
        return;
      }
    }
    for (ObjectKey s : named) {
      if (state.get(s).map(o -> o.metadata().isDeleting()).orElse(false)) {
        enqueue.accept(s);
      }
    }
  }

  /** The secrets a class names, untemplated and resolved for each of its claims waiting for a volume. */
  private static Set<ObjectKey> classSecrets(ClusterState state, StorageClass sc) {
    Set<ObjectKey> out = new LinkedHashSet<>(SecretUsers.untemplated(sc));
    if (SecretUsers.hasTemplate(sc)) {
      for (ObjectKey ck : state.index(ClaimIndex.class).unboundClaims(sc.metadata().name())) {
        state.get(ck, PersistentVolumeClaim.class).ifPresent(c -> out.addAll(SecretUsers.forClaim(sc, c)));
      }
    }
    return out;
  }

  /** The secrets the claim's class names through a template, resolved for the claim. */
  private static Set<ObjectKey> claimSecrets(ClusterState state, PersistentVolumeClaim claim) {
    return state.get(Volumes.classKey(Volumes.storageClass(claim)), StorageClass.class)
        .filter(SecretUsers::hasTemplate)
        .map(sc -> SecretUsers.forClaim(sc, claim))
        .orElse(Set.of());
  }

  /** The secrets a snapshot class names, untemplated and resolved for each of its snapshots waiting for a content. */
  private static Set<ObjectKey> snapshotClassSecrets(ClusterState state, VolumeSnapshotClass cls) {
    Set<ObjectKey> out = new LinkedHashSet<>();
    SnapshotterSecrets.untemplated(cls.parameters()).ifPresent(out::add);
    if (SnapshotterSecrets.isTemplated(cls.parameters())) {
      for (VolumeSnapshot snap : state.list(VolumeSnapshot.KIND, VolumeSnapshot.class)) {
        SecretUsers.forSnapshot(cls, snap).ifPresent(out::add);
      }
    }
    return out;
  }

  /** The secret the snapshot's class names through a template, resolved for the snapshot. */
  private static Set<ObjectKey> snapshotSecrets(ClusterState state, VolumeSnapshot snap) {
    return snap.spec().volumeSnapshotClassName()
        .flatMap(n -> state.get(ObjectKey.cluster(VolumeSnapshotClass.KIND, n), VolumeSnapshotClass.class))
        .flatMap(cls -> SecretUsers.forSnapshot(cls, snap))
        .map(Set::of)
        .orElse(Set.of());
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<Secret> found = state.get(key, Secret.class);
    if (found.isEmpty()) {
      return Decision.none(); // OBSERVATION: gone
    }
    Secret secret = found.get();
    var meta = secret.metadata();
    if (!meta.isDeleting()) {
      if (!meta.hasFinalizer(Finalizers.SECRET_PROTECTION)) {
        // OBSERVATION: created before the protection (or the finalizer was removed by hand)
        return Decision.update(secret.withMetadata(meta.withFinalizer(Finalizers.SECRET_PROTECTION)));
      }
      return Decision.none();
    }
    if (!meta.hasFinalizer(Finalizers.SECRET_PROTECTION)) {
      return Decision.none(); // OBSERVATION: deleting, already released
    }
    List<String> users = SecretUsers.of(state, key);
    if (users.isEmpty()) {
      // OBSERVATION: deleting and the last user is gone
      return Decision.update(secret.withMetadata(meta.withoutFinalizer(Finalizers.SECRET_PROTECTION)));
    }
    // OBSERVATION: deleting while in use: hold it, say who uses it
    return Decision.event(EventRecord.normal(NAME, key, Reasons.SECRET_IN_USE, message(users)));
  }

  static String message(List<String> users) {
    StringBuilder b = new StringBuilder("deletion is held by ").append(Finalizers.SECRET_PROTECTION)
        .append(" until the secret is no longer used; used by ");
    b.append(String.join(", ", users.subList(0, Math.min(USERS_SHOWN, users.size()))));
    if (users.size() > USERS_SHOWN) {
      b.append(" and ").append(users.size() - USERS_SHOWN).append(" more");
    }
    return b.toString();
  }
}
