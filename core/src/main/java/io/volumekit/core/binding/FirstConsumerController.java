package io.volumekit.core.binding;

import io.volumekit.core.controller.ChangeFact;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.PodIndex;
import io.volumekit.core.state.VolumeIndex;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.storage.StorageClass;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Binds or places WaitForFirstConsumer claims once a pod using them is on a node: the scheduler's
 * volume-binding step for pods whose {@code spec.nodeName} is already set.
 *
 * <p>Mirrors the scheduler's {@code volumebinding} plugin (docs/cases/binding.md rows S1-S3): for the
 * pod's node it looks for the smallest available volume of the claim's class, access modes,
 * volume mode and size whose node affinity admits the node (and whose labels match the selector);
 * if one exists the PV is pre-bound to the claim ({@code claimRef} and {@code
 * pv.kubernetes.io/bound-by-controller}), else the claim gets {@code
 * volume.kubernetes.io/selected-node} so its provisioner creates the volume for that node. A
 * placement-aware scheduler can replace this controller.
 */
public final class FirstConsumerController implements Controller {

  /** The controller's name. */
  public static final String NAME = "first-consumer";

  @Override
  public String name() {
    return NAME;
  }

  /** The claim waits for a node and some pod uses it: the watch's test. */
  private static final ChangeFact WAITING_AND_USED = ChangeFact.of("claim waiting for a node, used",
      f -> f.holds(ChangeFact.CLAIM_USED)
          && f.change().afterAs(PersistentVolumeClaim.class).filter(FirstConsumerController::waitsForNode).isPresent());

  @Override
  public WatchedKinds watches() {
    // watch() looks at the object after the change only: a deletion queues nothing; a claim
    // matters only while it waits for a node and a pod uses it.
    return WatchedKinds.of(Pod.KIND, PersistentVolumeClaim.KIND)
        .only(Pod.KIND, Change.Type.ADDED, Change.Type.MODIFIED)
        .only(PersistentVolumeClaim.KIND, Change.Type.ADDED, Change.Type.MODIFIED)
        .when(PersistentVolumeClaim.KIND, Change.Type.ADDED, WAITING_AND_USED)
        .when(PersistentVolumeClaim.KIND, Change.Type.MODIFIED, WAITING_AND_USED);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    if (change.kind().equals(Pod.KIND)) {
      // Only the pod's claims still waiting for a node (reconcile decides nothing for the others).
      change.afterAs(Pod.class).filter(p -> p.nodeName().isPresent())
          .ifPresent(p -> PodIndex.claimsOf(p).forEach(c -> {
            if (state.get(c, PersistentVolumeClaim.class).filter(FirstConsumerController::waitsForNode).isPresent()) {
              enqueue.accept(c);
            }
          }));
    } else if (change.kind().equals(PersistentVolumeClaim.KIND)) {
      change.afterAs(PersistentVolumeClaim.class)
          .filter(FirstConsumerController::waitsForNode)
          .filter(c -> !state.index(PodIndex.class).podsUsing(change.key()).isEmpty())
          .ifPresent(c -> enqueue.accept(change.key()));
    }
  }

  /** Unbound, and no node selected yet: the only claims {@link #reconcile} may act on. */
  private static boolean waitsForNode(PersistentVolumeClaim c) {
    return c.volumeName().isEmpty() && !c.metadata().annotations().containsKey(Annotations.SELECTED_NODE)
        && !c.metadata().annotations().containsKey(Annotations.BIND_COMPLETED);
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<PersistentVolumeClaim> found = state.get(key, PersistentVolumeClaim.class);
    if (found.isEmpty()) {
      return Decision.none();
    }
    PersistentVolumeClaim claim = found.get();
    if (claim.volumeName().isPresent()
        || claim.metadata().annotations().containsKey(Annotations.BIND_COMPLETED)
        || claim.metadata().annotations().containsKey(Annotations.SELECTED_NODE)
        || claim.metadata().isDeleting()) {
      return Decision.none();
    }
    String cls = Volumes.storageClass(claim);
    Optional<StorageClass> sc = cls.isEmpty() ? Optional.empty() : state.get(Volumes.classKey(cls), StorageClass.class);
    if (sc.isEmpty() || !Volumes.isWaitForFirstConsumer(sc.get())) {
      return Decision.none();
    }
    Optional<String> node = Optional.empty();
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(key)) {
      Optional<Pod> pod = state.get(pk, Pod.class).filter(p -> !p.metadata().isDeleting());
      if (pod.isPresent() && pod.get().nodeName().isPresent()) {
        node = pod.get().nodeName();
        break;
      }
    }
    if (node.isEmpty()) {
      return Decision.none();
    }
    Optional<PersistentVolume> pv = findVolumeForNode(state, claim, node.get());
    if (pv.isPresent()) {
      PersistentVolume p = pv.get();
      return Decision.update(p.withSpec(p.spec().withClaimRef(Optional.of(Volumes.claimReference(claim))))
          .withMetadata(p.metadata().withAnnotation(Annotations.BOUND_BY_CONTROLLER, Annotations.YES)));
    }
    String provisioner = sc.get().provisioner();
    if (provisioner.isEmpty() || provisioner.equals(StorageClass.NO_PROVISIONER)) {
      return Decision.none(); // nothing can be provisioned: the pod stays unschedulable
    }
    return Decision.update(claim.withMetadata(claim.metadata().withAnnotation(Annotations.SELECTED_NODE, node.get())));
  }

  /** {@code FindMatchingVolume} with a node: smallest fitting volume whose affinity admits it. */
  static Optional<PersistentVolume> findVolumeForNode(ClusterState state, PersistentVolumeClaim claim, String nodeName) {
    VolumeIndex index = state.index(VolumeIndex.class);
    Optional<Node> node = state.get(ObjectKey.cluster(Node.KIND, nodeName), Node.class);
    Map<String, String> labels = node.map(n -> (Map<String, String>) n.metadata().labels())
        .orElse(ImmutableMap.of("kubernetes.io/hostname", nodeName));
    Map<String, String> fields = Map.of("metadata.name", nodeName);
    PersistentVolume best = null;
    long bestBytes = Long.MAX_VALUE;
    long bytes = Volumes.requestedBytes(claim);
    for (VolumeIndex.Bucket b : index.candidateBuckets(Volumes.storageClass(claim),
        claim.spec().effectiveVolumeMode(), claim.spec().accessModes())) {
      for (VolumeIndex.Entry e : index.atLeast(b, bytes)) {
        if (e.bytes() > bestBytes) {
          break;
        }
        PersistentVolume pv = e.volume(); // the stored object: the index keeps it current
        if (!Matching.selectorMatches(pv, claim) || !Matching.sameAttributesClass(pv, claim)) {
          continue;
        }
        boolean affinity = pv.spec().nodeAffinity().flatMap(a -> a.required())
            .map(sel -> sel.matches(labels, fields)).orElse(true);
        if (affinity && (e.bytes() < bestBytes || (best != null && e.name().compareTo(best.metadata().name()) < 0))) {
          best = pv;
          bestBytes = e.bytes();
        }
      }
    }
    return Optional.ofNullable(best);
  }
}
