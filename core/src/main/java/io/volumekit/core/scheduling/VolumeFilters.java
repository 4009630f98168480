package io.volumekit.core.scheduling;

import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.PodIndex;
import io.volumekit.core.state.VolumeIndex;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.TopologySelectorTerm;
import io.volumekit.model.core.Volume;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.CSIStorageCapacity;
import io.volumekit.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The storage filters of the scheduler: {@code VolumeRestrictions} (ReadWriteOncePod),
 * {@code VolumeBinding} (bound PVs' node affinity, WaitForFirstConsumer claims: a matching
 * available PV for the node or provisioning there: class {@code allowedTopologies}, the driver on
 * the node's CSINode, CSIStorageCapacity) and the unbound-immediate-claims pre-filter
 * (docs/cases/binding.md rows S1-S3, docs/cases/node-side.md rows M9, R2). Reason strings are the scheduler's.
 */
final class VolumeFilters {

  private VolumeFilters() {}

  static final String UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
  static final String RWOP_CONFLICT = "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";
  static final String NODE_AFFINITY_CONFLICT = "node(s) had volume node affinity conflict";
  static final String PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
  static final String BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
  static final String INSUFFICIENT_STORAGE = "node(s) did not have enough free storage";

  /** The pod's claims split as the scheduler does. */
  record PodClaims(List<PersistentVolumeClaim> bound, List<PersistentVolumeClaim> delayed) {}

  /** The pre-filter: a reason that applies to every node, or the pod's claims. */
  static Object preFilter(ClusterState state, Pod pod) {
    List<PersistentVolumeClaim> bound = new ArrayList<>();
    List<PersistentVolumeClaim> delayed = new ArrayList<>();
    boolean immediate = false;
    for (Volume v : pod.spec().volumes()) {
      if (PodVolumeSupport.claimKey(pod, v).isEmpty()) {
        continue;
      }
      ObjectKey key = PodVolumeSupport.claimKey(pod, v).get();
      Optional<PersistentVolumeClaim> c = state.get(key, PersistentVolumeClaim.class);
      if (c.isEmpty()) {
        return v.ephemeral().isPresent()
            ? "waiting for ephemeral volume controller to create the persistentvolumeclaim \"" + key.name() + "\""
            : "persistentvolumeclaim \"" + key.name() + "\" not found";
      }
      PersistentVolumeClaim claim = c.get();
      if (v.ephemeral().isPresent() && !PodVolumeSupport.isOwnedBy(claim, pod)) {
        return "PVC " + key.namespacedName() + " was not created for pod " + pod.metadata().namespaceOrEmpty() + "/"
            + pod.metadata().name() + " (pod is not owner)";
      }
      if (claim.metadata().isDeleting()) {
        return "persistentvolumeclaim \"" + key.name() + "\" is being deleted";
      }
      if (claim.spec().accessModes().contains(AccessModes.READ_WRITE_ONCE_POD) && rwopInUse(state, pod, key)) {
        return RWOP_CONFLICT;
      }
      if (claim.volumeName().isPresent() && claim.metadata().annotations().containsKey(Annotations.BIND_COMPLETED)) {
        bound.add(claim);
      } else if (claim.volumeName().isEmpty() && isDelayed(state, claim)) {
        delayed.add(claim);
      } else {
        immediate = true;
      }
    }
    if (immediate) {
      return UNBOUND_IMMEDIATE;
    }
    return new PodClaims(bound, delayed);
  }

  private static boolean isDelayed(ClusterState state, PersistentVolumeClaim claim) {
    String cls = Volumes.storageClass(claim);
    return !cls.isEmpty() && state.get(Volumes.classKey(cls), StorageClass.class).map(Volumes::isWaitForFirstConsumer)
        .orElse(false);
  }

  private static boolean rwopInUse(ClusterState state, Pod pod, ObjectKey claim) {
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim)) {
      if (pk.equals(ObjectKey.of(pod))) {
        continue;
      }
      Optional<Pod> other = state.get(pk, Pod.class);
      if (other.isPresent() && other.get().nodeName().isPresent() && !PodVolumeSupport.isTerminated(other.get())) {
        return true;
      }
    }
    return false;
  }

  /** The VolumeBinding filter for one node; empty if the node fits. */
  static Optional<String> volumeBinding(ClusterState state, PodClaims claims, Node node) {
    Map<String, String> labels = node.metadata().labels();
    Map<String, String> fields = Map.of("metadata.name", node.metadata().name());
    for (PersistentVolumeClaim c : claims.bound()) {
      Optional<PersistentVolume> pv = state.get(Volumes.volumeKey(c.volumeName().get()), PersistentVolume.class);
      if (pv.isEmpty()) {
        return Optional.of(PV_NOT_EXIST);
      }
      boolean ok = pv.get().spec().nodeAffinity().flatMap(a -> a.required()).map(s -> s.matches(labels, fields)).orElse(true);
      if (!ok) {
        return Optional.of(NODE_AFFINITY_CONFLICT);
      }
    }
    List<PersistentVolumeClaim> delayed = bySize(claims.delayed());
    Set<String> chosen = new HashSet<>(2);
    for (PersistentVolumeClaim c : delayed) {
      Optional<String> selected = c.metadata().annotation(Annotations.SELECTED_NODE);
      if (selected.isPresent() && !selected.get().equals(node.metadata().name())) {
        return Optional.of(BIND_CONFLICT);
      }
      Optional<PersistentVolume> assumed = assumedVolume(state, c);
      if (assumed.isPresent()) {
        // pre-bound by an earlier scheduling cycle: the binder is completing it
        boolean ok = assumed.get().spec().nodeAffinity().flatMap(a -> a.required())
            .map(s -> s.matches(labels, fields)).orElse(true);
        if (!ok) {
          return Optional.of(NODE_AFFINITY_CONFLICT);
        }
        continue;
      }
      Optional<String> pv = matchingVolume(state, c, labels, fields, chosen);
      if (pv.isPresent()) {
        chosen.add(pv.get());
        continue;
      }
      Optional<String> why = provisionable(state, c, node);
      if (why.isPresent()) {
        return why;
      }
    }
    return Optional.empty();
  }

  /**
   * The delayed claims, smallest request first (a stable sort); one claim, the common case, is
   * returned as it is rather than copied and sorted in every scheduling attempt.
   */
  private static List<PersistentVolumeClaim> bySize(List<PersistentVolumeClaim> claims) {
    if (claims.size() < 2) {
      return claims;
    }
    List<PersistentVolumeClaim> out = new ArrayList<>(claims);
    out.sort((a, b) -> Long.compare(Volumes.requestedBytes(a), Volumes.requestedBytes(b)));
    return out;
  }

  /** A PV whose claimRef already names the unbound claim (pre-bound while the binder completes it). */
  static Optional<PersistentVolume> assumedVolume(ClusterState state, PersistentVolumeClaim claim) {
    for (String name : state.index(VolumeIndex.class).volumesReferencing(claim.metadata().namespaceOrEmpty(),
        claim.metadata().name())) {
      Optional<PersistentVolume> pv = state.get(Volumes.volumeKey(name), PersistentVolume.class);
      if (pv.isPresent() && pv.get().spec().claimRef().flatMap(r -> r.uid())
          .map(u -> u.equals(claim.metadata().uid().orElse(""))).orElse(true)) {
        return pv;
      }
    }
    return Optional.empty();
  }

  /**
   * {@code AssumePodVolumes} + {@code BindPodVolumes} for the chosen node: each unbound
   * WaitForFirstConsumer claim is pre-bound to the smallest matching available PV (claimRef and
   * {@code pv.kubernetes.io/bound-by-controller}), or gets {@code volume.kubernetes.io/selected-node}
   * so its provisioner creates the volume there. PV writes come before claim writes. Claims already
   * pre-bound or selected for the node are left as they are.
   */
  static List<io.volumekit.model.meta.ApiObject> assume(ClusterState state, PodClaims claims, Node node) {
    Map<String, String> labels = node.metadata().labels();
    Map<String, String> fields = Map.of("metadata.name", node.metadata().name());
    List<PersistentVolumeClaim> delayed = bySize(claims.delayed());
    List<io.volumekit.model.meta.ApiObject> volumes = new ArrayList<>();
    List<io.volumekit.model.meta.ApiObject> claimWrites = new ArrayList<>();
    Set<String> chosen = new HashSet<>();
    for (PersistentVolumeClaim c : delayed) {
      if (assumedVolume(state, c).isPresent()
          || c.metadata().annotation(Annotations.SELECTED_NODE).filter(node.metadata().name()::equals).isPresent()) {
        continue;
      }
      Optional<String> pv = matchingVolume(state, c, labels, fields, chosen);
      if (pv.isPresent()) {
        chosen.add(pv.get());
        PersistentVolume v = state.get(Volumes.volumeKey(pv.get()), PersistentVolume.class).orElseThrow();
        io.volumekit.model.meta.ObjectReference ref = Volumes.claimReference(c);
        volumes.add(v.withSpec(v.spec().withClaimRef(Optional.of(ref)))
            .withMetadata(v.metadata().withAnnotation(Annotations.BOUND_BY_CONTROLLER, Annotations.YES)));
      } else {
        claimWrites.add(c.withMetadata(c.metadata().withAnnotation(Annotations.SELECTED_NODE, node.metadata().name())));
      }
    }
    volumes.addAll(claimWrites);
    return volumes;
  }

  /** The smallest available PV for the claim whose node affinity admits the node, not yet chosen. */
  private static Optional<String> matchingVolume(ClusterState state, PersistentVolumeClaim claim,
      Map<String, String> labels, Map<String, String> fields, Set<String> chosen) {
    VolumeIndex index = state.index(VolumeIndex.class);
    long bytes = Volumes.requestedBytes(claim);
    String best = null;
    long bestBytes = Long.MAX_VALUE;
    for (VolumeIndex.Bucket b : index.candidateBuckets(Volumes.storageClass(claim), claim.spec().effectiveVolumeMode(),
        claim.spec().accessModes())) {
      for (VolumeIndex.Entry e : index.atLeast(b, bytes)) {
        if (e.bytes() > bestBytes) {
          break;
        }
        if (chosen.contains(e.name())) {
          continue;
        }
        Optional<PersistentVolume> pv = state.get(Volumes.volumeKey(e.name()), PersistentVolume.class);
        if (pv.isEmpty() || pv.get().spec().claimRef().isPresent() || pv.get().metadata().isDeleting()) {
          continue;
        }
        if (claim.spec().selector().isPresent() && !claim.spec().selector().get().matches(pv.get().metadata().labels())) {
          continue;
        }
        boolean affinity = pv.get().spec().nodeAffinity().flatMap(a -> a.required())
            .map(s -> s.matches(labels, fields)).orElse(true);
        if (affinity && (e.bytes() < bestBytes || e.name().compareTo(best) < 0)) {
          best = e.name();
          bestBytes = e.bytes();
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether the claim's class can provision a volume reachable from the node; the reason if not. */
  private static Optional<String> provisionable(ClusterState state, PersistentVolumeClaim claim, Node node) {
    String cls = Volumes.storageClass(claim);
    Optional<StorageClass> sc = state.get(Volumes.classKey(cls), StorageClass.class);
    if (sc.isEmpty()) {
      return Optional.of(BIND_CONFLICT);
    }
    String provisioner = sc.get().provisioner();
    if (provisioner.isEmpty() || provisioner.equals(StorageClass.NO_PROVISIONER)) {
      return Optional.of(BIND_CONFLICT);
    }
    Map<String, String> labels = node.metadata().labels();
    if (!sc.get().allowedTopologies().isEmpty()) {
      boolean any = false;
      for (TopologySelectorTerm t : sc.get().allowedTopologies()) {
        any |= t.matches(labels);
      }
      if (!any) {
        return Optional.of(BIND_CONFLICT);
      }
    }
    Optional<CSINode> csiNode = state.get(ObjectKey.cluster(CSINode.KIND, node.metadata().name()), CSINode.class);
    if (csiNode.isPresent()) {
      var d = csiNode.get().spec().driver(provisioner);
      if (d.isEmpty()) {
        return Optional.of(BIND_CONFLICT);
      }
      for (String k : d.get().topologyKeys()) {
        if (!labels.containsKey(k)) {
          return Optional.of(BIND_CONFLICT);
        }
      }
    }
    long bytes = Volumes.requestedBytes(claim);
    boolean tracked = PodVolumeSupport.csiDriver(state, provisioner)
        .flatMap(d -> d.spec().storageCapacity()).orElse(false);
    if (bytes > 0 && tracked) {
      boolean enough = false;
      for (CSIStorageCapacity cap : state.list(CSIStorageCapacity.KIND, CSIStorageCapacity.class)) {
        if (!cap.storageClassName().equals(cls)) {
          continue;
        }
        Optional<Quantity> limit = cap.maximumVolumeSize().or(cap::capacity);
        if (limit.isEmpty() || limit.get().value() < bytes) {
          continue;
        }
        if (cap.nodeTopology().isPresent() && cap.nodeTopology().get().matches(labels)) {
          enough = true;
          break;
        }
      }
      if (!enough) {
        return Optional.of(INSUFFICIENT_STORAGE);
      }
    }
    return Optional.empty();
  }
}
