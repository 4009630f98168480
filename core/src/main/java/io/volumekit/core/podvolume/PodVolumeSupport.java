package io.volumekit.core.podvolume;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.Taint;
import io.volumekit.model.core.Volume;
import io.volumekit.model.meta.OwnerReference;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.List;
import java.util.Optional;

/**
 * Facts the node-side controllers share about pods, claims and nodes: which claim a pod volume
 * uses (including a generic ephemeral volume's {@code <pod>-<volume>} claim and its ownership
 * rule), whether a pod is terminated, whether a node is out of service, the CSI access mode of a
 * PV, secret lookup, and the names both sides derive from a volume: the VolumeAttachment of a
 * volume on a node and the volume id of an inline ephemeral CSI volume.
 *
 * <p>It lives apart from the controllers that use it (the attach/detach controller, the
 * external-attacher, the kubelet's volume controllers, the ephemeral volume controller, the
 * scheduler) so that none of their packages imports another.
 */
public final class PodVolumeSupport {

  private PodVolumeSupport() {}

  /** The taint an administrator puts on a node that shut down non-gracefully. */
  public static final String OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service";

  /** Where a pod volume's claim stands. */
  public sealed interface ClaimLookup {
    /** The claim is bound; the PV exists. */
    record Bound(PersistentVolumeClaim claim, PersistentVolume pv) implements ClaimLookup {}

    /** Not usable (yet); {@code message} says why in the kubelet's or scheduler's words. */
    record Problem(String message, boolean waiting) implements ClaimLookup {}
  }

  /** The claim key of a pod volume, if it uses a claim ({@code persistentVolumeClaim} or {@code ephemeral}). */
  public static Optional<ObjectKey> claimKey(Pod pod, Volume v) {
    String ns = pod.metadata().namespaceOrEmpty();
    if (v.persistentVolumeClaim().isPresent()) {
      return Optional.of(Volumes.claimKey(ns, v.persistentVolumeClaim().get().claimName()));
    }
    if (v.ephemeral().isPresent()) {
      return Optional.of(Volumes.claimKey(ns, ephemeralClaimName(pod, v)));
    }
    return Optional.empty();
  }

  /**
   * Whether the pod volume uses the claim: {@code claimKey(pod, v).equals(Optional.of(claim))}
   * without making the key (asked per volume of each pod in the kubelet's and attacher's syncs).
   */
  public static boolean usesClaim(Pod pod, Volume v, ObjectKey claim) {
    if (!claim.kind().equals(PersistentVolumeClaim.KIND) || !claim.namespace().equals(pod.metadata().namespaceOrEmpty())) {
      return false;
    }
    if (v.persistentVolumeClaim().isPresent()) {
      return claim.name().equals(v.persistentVolumeClaim().get().claimName());
    }
    if (v.ephemeral().isPresent()) {
      String name = claim.name();
      String podName = pod.metadata().name();
      return name.length() == podName.length() + 1 + v.name().length() && name.startsWith(podName)
          && name.charAt(podName.length()) == '-' && name.endsWith(v.name());
    }
    return false;
  }

  /** {@code VolumeClaimName}: {@code <pod name>-<volume name>}. */
  public static String ephemeralClaimName(Pod pod, Volume v) {
    return pod.metadata().name() + "-" + v.name();
  }

  /** {@code VolumeIsForPod}: the claim's controller owner reference has the pod's uid. */
  public static boolean isOwnedBy(PersistentVolumeClaim claim, Pod pod) {
    String uid = pod.metadata().uid().orElse("");
    for (OwnerReference r : claim.metadata().ownerReferences()) {
      if (r.isController() && r.uid().equals(uid) && !uid.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Resolves the claim of a pod volume as the kubelet's desired-state populator does. */
  public static ClaimLookup lookup(ClusterState state, Pod pod, Volume v) {
    ObjectKey key = claimKey(pod, v).orElseThrow();
    Optional<PersistentVolumeClaim> claim = state.get(key, PersistentVolumeClaim.class);
    if (claim.isEmpty()) {
      if (v.ephemeral().isPresent()) {
        return new ClaimLookup.Problem("waiting for ephemeral volume controller to create the persistentvolumeclaim \""
            + key.name() + "\"", true);
      }
      return new ClaimLookup.Problem("persistentvolumeclaim \"" + key.name() + "\" not found", false);
    }
    PersistentVolumeClaim c = claim.get();
    if (v.ephemeral().isPresent() && !isOwnedBy(c, pod)) {
      return new ClaimLookup.Problem("PVC " + key.namespacedName() + " was not created for pod "
          + pod.metadata().namespaceOrEmpty() + "/" + pod.metadata().name() + " (pod is not owner)", false);
    }
    if (c.metadata().isDeleting()) {
      return new ClaimLookup.Problem("persistentvolumeclaim \"" + key.name() + "\" is being deleted", false);
    }
    if (c.volumeName().isEmpty() || !c.isBound()) {
      return new ClaimLookup.Problem("PVC " + key.namespacedName() + " is not bound", true);
    }
    Optional<PersistentVolume> pv = state.get(Volumes.volumeKey(c.volumeName().get()), PersistentVolume.class);
    if (pv.isEmpty()) {
      return new ClaimLookup.Problem("persistentvolume \"" + c.volumeName().get() + "\" not found", true);
    }
    return new ClaimLookup.Bound(c, pv.get());
  }

  /** Whether the pod's phase is Succeeded or Failed. */
  public static boolean isTerminated(Pod pod) {
    String phase = pod.status().phase().orElse("");
    return phase.equals(PodStatus.SUCCEEDED) || phase.equals(PodStatus.FAILED);
  }

  /** Whether the pod no longer wants its volumes: terminated or being deleted. */
  public static boolean isTerminating(Pod pod) {
    return isTerminated(pod) || pod.metadata().isDeleting();
  }

  /** Whether the node carries the out-of-service taint (any effect). */
  public static boolean isOutOfService(Node node) {
    for (Taint t : node.spec().taints()) {
      if (t.key().equals(OUT_OF_SERVICE_TAINT)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the node's kubelet is gone: the Node does not exist or is out of service. */
  public static boolean nodeIsDown(ClusterState state, String nodeName) {
    return nodeIsDown(state.get(ObjectKey.cluster(Node.KIND, nodeName), Node.class));
  }

  /** {@link #nodeIsDown(ClusterState, String)} of a Node already read (empty: it does not exist). */
  public static boolean nodeIsDown(Optional<Node> node) {
    return node.isEmpty() || isOutOfService(node.get());
  }

  /** The CSIDriver object of the driver, if any. */
  public static Optional<CSIDriver> csiDriver(ClusterState state, String driver) {
    return state.get(ObjectKey.cluster(CSIDriver.KIND, driver), CSIDriver.class);
  }

  /** Whether the driver needs attaching: no CSIDriver object, or one without {@code attachRequired: false}. */
  public static boolean attachRequired(ClusterState state, String driver) {
    return csiDriver(state, driver).map(d -> d.spec().isAttachRequired()).orElse(true);
  }

  /** Whether the node's CSINode lists the driver (the driver's node plugin registered there). */
  public static Optional<String> nodeId(ClusterState state, String node, String driver) {
    return state.get(ObjectKey.cluster(CSINode.KIND, node), CSINode.class)
        .flatMap(cn -> cn.spec().driver(driver)).map(d -> d.nodeID());
  }

  /**
   * The CSI access mode for the PV's modes (docs/cases/node-side.md row M4): the kubelet uses the
   * first mode; RWX wins for the attacher; RWOP and RWO depend on SINGLE_NODE_MULTI_WRITER.
   */
  public static AccessMode accessMode(List<String> pvModes, boolean singleNodeMultiWriter, boolean firstOnly) {
    List<String> modes = pvModes.isEmpty() ? List.of(AccessModes.READ_WRITE_ONCE) : pvModes;
    if (firstOnly) {
      modes = List.of(modes.get(0));
    }
    if (modes.contains(AccessModes.READ_WRITE_MANY)) {
      return AccessMode.MULTI_NODE_MULTI_WRITER;
    }
    if (modes.contains(AccessModes.READ_WRITE_ONCE_POD)) {
      return singleNodeMultiWriter ? AccessMode.SINGLE_NODE_SINGLE_WRITER : AccessMode.SINGLE_NODE_WRITER;
    }
    if (modes.contains(AccessModes.READ_ONLY_MANY) && !modes.contains(AccessModes.READ_WRITE_ONCE)) {
      return AccessMode.MULTI_NODE_READER_ONLY;
    }
    return singleNodeMultiWriter ? AccessMode.SINGLE_NODE_MULTI_WRITER : AccessMode.SINGLE_NODE_WRITER;
  }

  /** Reads a Secret's data as CSI secrets; empty if it does not exist. */
  public static Optional<Secrets> secrets(ClusterState state, String namespace, String name) {
    Optional<Secret> s = state.get(ObjectKey.namespaced(Secret.KIND, namespace, name), Secret.class);
    return s.map(Secrets::fromSecret);
  }

  /** The PVs the node's kubelet reports in use ({@link io.volumekit.core.api.Annotations#VOLUMES_IN_USE}). */
  public static java.util.SortedSet<String> volumesInUse(Node node) {
    return io.volumekit.core.state.VolumesInUseIndex.parse(io.volumekit.core.state.VolumesInUseIndex.annotation(node));
  }

  /**
   * The PVs the node's kubelet reports in use, from the state's {@link
   * io.volumekit.core.state.VolumesInUseIndex} (no parse of the annotation).
   */
  public static java.util.NavigableSet<String> volumesInUse(ClusterState state, String node) {
    return state.index(io.volumekit.core.state.VolumesInUseIndex.class).inUse(node);
  }

  /**
   * The in-use set with the volume added ({@code add}) or removed, sorted: O(log n) on the
   * persistent set {@link io.volumekit.core.state.VolumesInUseIndex} hands out (no copy of the
   * node's other volumes), else a sorted copy.
   */
  public static java.util.NavigableSet<String> inUseWith(java.util.NavigableSet<String> inUse, String volume, boolean add) {
    if (inUse instanceof org.pcollections.PSortedSet<String> p && naturalOrder(p)) {
      return add ? p.plus(volume) : p.minus(volume);
    }
    java.util.TreeSet<String> out = new java.util.TreeSet<>(inUse);
    if (add) {
      out.add(volume);
    } else {
      out.remove(volume);
    }
    return out;
  }

  private static boolean naturalOrder(java.util.SortedSet<String> s) {
    return s.comparator() == null || s.comparator() == java.util.Comparator.naturalOrder();
  }

  /**
   * The node with {@code volume} added to ({@code add}) or removed from its in-use list {@code
   * inUse} (sorted, as {@link #volumesInUse(ClusterState, String)} hands it out): {@link
   * #withVolumesInUse} of {@link #inUseWith}, with the annotation written in one pass over {@code
   * inUse} into a buffer of the right size (no new set, no growing array of names).
   */
  public static Node withVolumeInUse(Node node, java.util.NavigableSet<String> inUse, String volume, boolean add) {
    if (!naturalOrder(inUse)) {
      return withVolumesInUse(node, inUseWith(inUse, volume, add));
    }
    int length = add ? volume.length() + 1 : 0;
    for (String v : inUse) {
      length += v.length() + 1;
    }
    StringBuilder out = new StringBuilder(length);
    boolean pending = add;
    boolean first = true;
    for (String v : inUse) {
      int c = v.compareTo(volume);
      if (c == 0) {
        if (!add) {
          continue; // removed
        }
        pending = false; // already there
      } else if (pending && c > 0) {
        first = append(out, volume, first);
        pending = false;
      }
      first = append(out, v, first);
    }
    if (pending) {
      first = append(out, volume, first);
    }
    var meta = first
        ? node.metadata().withoutAnnotation(io.volumekit.core.api.Annotations.VOLUMES_IN_USE)
        : node.metadata().withAnnotation(io.volumekit.core.api.Annotations.VOLUMES_IN_USE, out.toString());
    return node.withMetadata(meta);
  }

  /** Appends the name after a comma unless it is the first; returns false (no longer first). */
  private static boolean append(StringBuilder out, String name, boolean first) {
    if (!first) {
      out.append(',');
    }
    out.append(name);
    return false;
  }

  /** The node with the in-use list set to the volumes (the annotation is removed when empty). */
  public static Node withVolumesInUse(Node node, java.util.Set<String> volumes) {
    var meta = volumes.isEmpty()
        ? node.metadata().withoutAnnotation(io.volumekit.core.api.Annotations.VOLUMES_IN_USE)
        : node.metadata().withAnnotation(io.volumekit.core.api.Annotations.VOLUMES_IN_USE,
            String.join(",", volumes instanceof java.util.SortedSet<String> sorted && naturalOrder(sorted)
                ? sorted : new java.util.TreeSet<>(volumes)));
    return node.withMetadata(meta);
  }

  /**
   * Whether the access modes are exactly the one mode ({@code modes.equals(List.of(mode))} without
   * making the list: asked in every setup of a volume).
   */
  public static boolean onlyMode(List<String> modes, String mode) {
    return modes.size() == 1 && modes.get(0).equals(mode);
  }

  /** Whether multi-node attachment is allowed for the PV ({@code IsMultiAttachAllowed}). */
  public static boolean multiAttachAllowed(PersistentVolume pv) {
    List<String> modes = pv.spec().accessModes();
    return modes.isEmpty() || modes.contains(AccessModes.READ_WRITE_MANY) || modes.contains(AccessModes.READ_ONLY_MANY);
  }

  /**
   * The VolumeAttachment name of a volume on a node: {@code csi-<sha256(volumeHandle + driver +
   * nodeName)>}, as Kubernetes' CSI attacher spells it.
   */
  public static String attachmentName(String volumeHandle, String driver, String nodeName) {
    return AttachmentNames.key(volumeHandle, driver, nodeName).name();
  }

  /**
   * Whether a PV change leaves what the kubelet reads of the PV as it was: its spec, labels and
   * annotations (an in-tree PV's translation reads them) and whether it is being deleted. A change
   * of its status (phase) or finalizers alone (the binder's and the attacher's writes) cannot change
   * a kubelet decision (a watch filter).
   */
  public static boolean samePersistentVolumeForKubelet(Optional<PersistentVolume> before, Optional<PersistentVolume> after) {
    if (before.isEmpty() || after.isEmpty()) {
      return false;
    }
    PersistentVolume b = before.get();
    PersistentVolume a = after.get();
    // The claimRef first: the binder's writes change it, and then the whole spec need not be compared.
    return b.spec().claimRef().equals(a.spec().claimRef())
        && b.spec().equals(a.spec()) && b.metadata().isDeleting() == a.metadata().isDeleting()
        && b.metadata().labels().equals(a.metadata().labels())
        && b.metadata().annotations().equals(a.metadata().annotations());
  }

  /**
   * The attachment as the kubelet uses it: its {@code attachmentMetadata} (the publish_context) if
   * it exists, is attached and is not being deleted; empty while the kubelet must wait for it.
   */
  public static Optional<java.util.Map<String, String>> usableAttachment(Optional<VolumeAttachment> va) {
    if (va.isEmpty() || !va.get().status().attached() || va.get().metadata().isDeleting()) {
      return Optional.empty();
    }
    return Optional.of(va.get().status().attachmentMetadata());
  }

  /** Whether the attachment exists and is not being deleted. */
  public static boolean liveAttachment(Optional<VolumeAttachment> va) {
    return va.isPresent() && !va.get().metadata().isDeleting();
  }

  /** The key of the VolumeAttachment of a volume on a node. */
  public static ObjectKey attachmentKey(String volumeHandle, String driver, String nodeName) {
    return AttachmentNames.key(volumeHandle, driver, nodeName);
  }

  /** The volume id of an inline ephemeral CSI volume: {@code csi-<sha256(podUID + volumeName)>}. */
  public static String inlineVolumeId(String podUid, String volume) {
    return "csi-" + VolumeHost.sha256(podUid + volume);
  }
}
