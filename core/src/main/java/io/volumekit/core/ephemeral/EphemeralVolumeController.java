package io.volumekit.core.ephemeral;

import io.volumekit.core.controller.ChangeFact;
import com.google.common.collect.ImmutableList;
import io.volumekit.core.api.Reasons;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimBuilder;
import io.volumekit.model.core.PersistentVolumeClaimTemplate;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectMetaBuilder;
import io.volumekit.model.meta.OwnerReference;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates the claims of generic ephemeral volumes: for each {@code ephemeral.volumeClaimTemplate}
 * volume of a pod that is not being deleted, a claim {@code <pod>-<volume>} in the pod's namespace,
 * owned by the pod ({@code controller: true, blockOwnerDeletion: true}) with the template's labels,
 * annotations and spec; the garbage collector deletes it with the pod.
 *
 * <p>Mirrors kube-controller-manager's {@code ephemeral} controller (docs/cases/node-side.md row E5): an
 * existing claim of that name not owned by the pod is left alone and the pod gets a Warning
 * {@code FailedBinding} event "ephemeral volume &lt;vol&gt;: PVC &lt;ns&gt;/&lt;name&gt; was not created for pod
 * &lt;ns&gt;/&lt;pod&gt; (pod is not owner)"; the scheduler and the kubelet refuse such a claim too.
 */
public final class EphemeralVolumeController implements Controller {

  /** The controller's name (also the event source). */
  public static final String NAME = "ephemeral_volume";

  @Override
  public String name() {
    return NAME;
  }

  private static final ChangeFact EPHEMERAL = ChangeFact.of("pod with an ephemeral volume",
      f -> f.change().afterAs(Pod.class).filter(EphemeralVolumeController::hasEphemeralVolume).isPresent());

  @Override
  public WatchedKinds watches() {
    // A pod as it is (added or updated) with an ephemeral volume; a claim only when it goes (its pod
    // may need it anew).
    return WatchedKinds.of(Pod.KIND, PersistentVolumeClaim.KIND)
        .only(Pod.KIND, Change.Type.ADDED, Change.Type.MODIFIED)
        .only(PersistentVolumeClaim.KIND, Change.Type.DELETED)
        .when(Pod.KIND, Change.Type.ADDED, EPHEMERAL)
        .when(Pod.KIND, Change.Type.MODIFIED, EPHEMERAL);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    if (change.kind().equals(Pod.KIND)) {
      if (change.after().orElse(null) instanceof Pod p && hasEphemeralVolume(p)) {
        enqueue.accept(change.key());
      }
    } else if (change.kind().equals(PersistentVolumeClaim.KIND) && change.type() == Change.Type.DELETED) {
      state.index(PodIndex.class).podsUsing(change.key()).forEach(enqueue);
    }
  }

  /** Whether the pod has a generic ephemeral volume (a loop: most pods have none, and no stream is made for them). */
  private static boolean hasEphemeralVolume(Pod p) {
    for (var v : p.spec().volumes()) {
      if (v.ephemeral().isPresent()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<Pod> found = state.get(key, Pod.class);
    if (found.isEmpty() || found.get().metadata().isDeleting() || found.get().metadata().uid().isEmpty()) {
      return Decision.none();
    }
    Pod pod = found.get();
    Decision.Builder b = Decision.builder();
    for (Volume v : pod.spec().volumes()) {
      if (v.ephemeral().isEmpty()) {
        continue;
      }
      String name = PodVolumeSupport.ephemeralClaimName(pod, v);
      ObjectKey claimKey = PodVolumeSupport.claimKey(pod, v).orElseThrow();
      Optional<PersistentVolumeClaim> existing = state.get(claimKey, PersistentVolumeClaim.class);
      if (existing.isPresent()) {
        if (!PodVolumeSupport.isOwnedBy(existing.get(), pod)) {
          b.event(EventRecord.warning(NAME, key, Reasons.FAILED_BINDING, "ephemeral volume " + v.name() + ": PVC "
              + claimKey.namespacedName() + " was not created for pod " + key.namespacedName() + " (pod is not owner)"));
        }
        continue;
      }
      PersistentVolumeClaimTemplate t = v.ephemeral().get().volumeClaimTemplate()
          .orElseGet(() -> new PersistentVolumeClaimTemplate(Optional.empty(), null));
      ObjectMeta tm = t.metadata().orElse(ObjectMeta.named(""));
      ObjectMeta meta = ObjectMetaBuilder.builder()
          .name(name)
          .namespace(Optional.of(pod.metadata().namespaceOrEmpty()))
          .labels(tm.labels())
          .annotations(tm.annotations())
          .ownerReferences(ImmutableList.of(new OwnerReference(Pod.API_VERSION, Pod.KIND, pod.metadata().name(),
              pod.metadata().uid().get(), Optional.of(true), Optional.of(true))))
          .build();
      b.create(PersistentVolumeClaimBuilder.builder().metadata(meta).spec(t.spec()).build());
    }
    return b.build();
  }
}
