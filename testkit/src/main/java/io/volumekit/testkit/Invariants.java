package io.volumekit.testkit;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.snapshot.Snapshots;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The engine's guarantees, as checkable {@link Invariant}s (listed with their rationale in
 * docs/simulation.md). {@link #all()} is what the simulator checks by default.
 *
 * <p>Two more guarantees are checked by the simulation itself rather than by a hook: {@link
 * #SETTLE_TERMINATES} (settle reaches a fixpoint and, once faults stop, quiescence) and {@link
 * #REPLAY_IDENTICAL} (the same seed gives the same trace and state).
 */
public final class Invariants {

  private Invariants() {}

  /** Name of the check that settle terminates (no livelock; quiescent once faults stop). */
  public static final String SETTLE_TERMINATES = "settle-terminates";

  /** Name of the check that replaying a seed gives an identical run. */
  public static final String REPLAY_IDENTICAL = "replay-identical";

  /** Name given to an exception escaping the engine (a controller threw). */
  public static final String ENGINE_ERROR = "engine-error";

  /** Every invariant below. */
  public static ImmutableList<Invariant> all() {
    return ImmutableList.of(BINDING_ONE_TO_ONE, BINDING_HONOURS_REQUEST, SINGLE_NODE_ACCESS,
        RETAIN_NEVER_DELETED, NO_LEAKED_VOLUMES, CLAIM_PROTECTED_WHILE_USED, DETACH_AFTER_UNMOUNT,
        NO_STUCK_TERMINATING, PENDING_HAS_EVENT, EFFECT_NOT_CONCURRENT, STATEFULSET_RETAIN_KEEPS_CLAIMS,
        SECRET_KEPT_WHILE_NEEDED, EXPANSION_BOUNDED, ATTRIBUTES_CLASS_APPLIED, BLOCK_VOLUME_PATHS,
        NO_SNAPSHOT_LEAKS, RETAIN_SNAPSHOT_KEPT, RESTORED_FROM_SOURCE, SNAPSHOT_SOURCE_KEPT, SNAPSHOT_BOUND_BOTH_WAYS,
        NO_GROUP_SNAPSHOT_LEAKS);
  }

  /** No CSI snapshot leaks ({@link SnapshotInvariants}). */
  public static final Invariant NO_SNAPSHOT_LEAKS = SnapshotInvariants.NO_SNAPSHOT_LEAKS;

  /** No CSI group snapshot leaks ({@link GroupSnapshotInvariants}). */
  public static final Invariant NO_GROUP_SNAPSHOT_LEAKS = GroupSnapshotInvariants.NO_GROUP_SNAPSHOT_LEAKS;

  /** A snapshot of a Retain content stays on the driver ({@link SnapshotInvariants}). */
  public static final Invariant RETAIN_SNAPSHOT_KEPT = SnapshotInvariants.RETAIN_SNAPSHOT_KEPT;

  /** A restored or cloned claim gets a volume created from its source ({@link SnapshotInvariants}). */
  public static final Invariant RESTORED_FROM_SOURCE = SnapshotInvariants.RESTORED_FROM_SOURCE;

  /** A claim being snapshotted stays until the snapshot is cut ({@link SnapshotInvariants}). */
  public static final Invariant SNAPSHOT_SOURCE_KEPT = SnapshotInvariants.SOURCE_KEPT_WHILE_CUT;

  /** A snapshot and its content name each other ({@link SnapshotInvariants}). */
  public static final Invariant SNAPSHOT_BOUND_BOTH_WAYS = SnapshotInvariants.BOUND_BOTH_WAYS;

  /** Block volumes are mapped, never mounted, and running pods have their devices ({@link BlockInvariants}). */
  public static final Invariant BLOCK_VOLUME_PATHS = BlockInvariants.BLOCK_VOLUME_PATHS;

  /** A Secret a volume needs is kept until the volume is gone ({@link SecretInvariants}). */
  public static final Invariant SECRET_KEPT_WHILE_NEEDED = SecretInvariants.KEPT_WHILE_NEEDED;

  // ------------------------------------------------------------------------------------------

  /**
   * A claim's current VolumeAttributesClass is what its volume has: the PV names it, and the driver
   * applied its parameters; at quiescence every feasible class a bound claim asks for is applied.
   */
  public static final Invariant ATTRIBUTES_CLASS_APPLIED = new Invariant() {
    @Override
    public String name() {
      return "attributes-class-applied";
    }

    @Override
    public String description() {
      return "A Bound claim's status.currentVolumeAttributesClassName equals its PV's spec.volumeAttributesClassName,"
          + " and unless a modification is InProgress the driver holds that class's parameters; modifyVolumeStatus is"
          + " Pending, InProgress or Infeasible; at quiescence a Bound claim asking for an existing class the driver"
          + " accepts has it (no modify status), one asking for a refused class is Infeasible, one asking for a"
          + " missing class is Pending.";
    }

    @Override
    public Optional<String> afterStep(SimView view) {
      return check(view, false);
    }

    @Override
    public Optional<String> atQuiescence(SimView view) {
      return check(view, true);
    }

    private Optional<String> check(SimView view, boolean quiescent) {
      ClusterState s = view.state();
      for (PersistentVolumeClaim c : s.list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class)) {
        if (!c.isBound() || c.volumeName().isEmpty() || c.metadata().isDeleting()) {
          continue;
        }
        Optional<PersistentVolume> pv = s.get(Volumes.volumeKey(c.volumeName().get()), PersistentVolume.class);
        if (pv.isEmpty() || pv.get().spec().csi().isEmpty()) {
          continue;
        }
        String ck = ObjectKey.of(c).namespacedName();
        Optional<String> current = c.status().currentVolumeAttributesClassName();
        Optional<io.volumekit.model.core.ModifyVolumeStatus> status = c.status().modifyVolumeStatus();
        if (status.isPresent() && !java.util.Set.of("Pending", "InProgress", "Infeasible").contains(status.get().status())) {
          return Optional.of("claim " + ck + " has modifyVolumeStatus.status \"" + status.get().status() + "\"");
        }
        if (current.isPresent() && !current.equals(pv.get().spec().volumeAttributesClassName())) {
          return Optional.of("claim " + ck + " has current class " + current.get() + " but its PV "
              + pv.get().metadata().name() + " names " + pv.get().spec().volumeAttributesClassName().orElse("none"));
        }
        String handle = pv.get().spec().csi().get().volumeHandle();
        Map<String, String> applied = view.driver().appliedMutableParameters(handle);
        boolean inProgress = status.map(x -> x.status().equals("InProgress")).orElse(false);
        if (current.isPresent() && !inProgress) {
          Optional<io.volumekit.model.storage.VolumeAttributesClass> vac = s.get(
              ObjectKey.cluster(io.volumekit.model.storage.VolumeAttributesClass.KIND, current.get()),
              io.volumekit.model.storage.VolumeAttributesClass.class);
          if (vac.isPresent() && !applied.entrySet().containsAll(vac.get().parameters().entrySet())) {
            return Optional.of("claim " + ck + " has current class " + current.get() + " " + vac.get().parameters()
                + " but the driver holds " + applied + " for volume " + handle);
          }
        }
        Optional<String> spec = c.spec().volumeAttributesClassName().filter(x -> !x.isEmpty());
        if (!quiescent || spec.isEmpty()) {
          continue;
        }
        Optional<io.volumekit.model.storage.VolumeAttributesClass> wanted = s.get(
            ObjectKey.cluster(io.volumekit.model.storage.VolumeAttributesClass.KIND, spec.get()),
            io.volumekit.model.storage.VolumeAttributesClass.class);
        String expected;
        if (wanted.isEmpty()) {
          expected = "Pending";
        } else if (SimObjects.MUTABLE_PARAMETER_KEYS.containsAll(wanted.get().parameters().keySet())) {
          expected = "";
        } else {
          expected = "Infeasible";
        }
        String actual = status.map(x -> x.status() + " to " + x.targetVolumeAttributesClassName().orElse("")).orElse("");
        if (expected.isEmpty() ? (status.isPresent() || !current.equals(spec))
            : !actual.equals(expected + " to " + spec.get())) {
          return Optional.of("claim " + ck + " asks for class " + spec.get() + " and should be "
              + (expected.isEmpty() ? "modified to it" : expected) + " at quiescence, but has current class "
              + current.orElse("none") + " and modify status " + (actual.isEmpty() ? "none" : actual));
        }
      }
      return Optional.empty();
    }
  };

  /** Binding is one-to-one and bidirectional. */
  public static final Invariant BINDING_ONE_TO_ONE = new Invariant() {
    @Override
    public String name() {
      return "binding-one-to-one";
    }

    @Override
    public String description() {
      return "A Bound claim names an existing PV whose claimRef names the claim (with its uid), no two"
          + " Bound claims name the same PV, a Bound PV's claim exists and names the PV, and no claim loses"
          + " its PV to another claim (Lost while the PV exists and is bound elsewhere).";
    }

    @Override
    public Optional<String> afterStep(SimView view) {
      ClusterState s = view.state();
      Map<String, String> boundBy = new HashMap<>();
      for (PersistentVolumeClaim c : s.list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class)) {
        String ck = ObjectKey.of(c).namespacedName();
        if (c.phase().equals("Lost") && c.volumeName().isPresent()) {
          // Lost is legitimate only when the PV is gone; a PV now bound elsewhere means the binder
          // gave one volume to two claims.
          Optional<PersistentVolume> pv = s.get(Volumes.volumeKey(c.volumeName().get()), PersistentVolume.class);
          Optional<ObjectReference> ref = pv.flatMap(v -> v.spec().claimRef());
          if (ref.isPresent() && !ref.get().uidOrEmpty().isEmpty()
              && !ref.get().uidOrEmpty().equals(c.metadata().uid().orElse(""))) {
            return Optional.of("claim " + ck + " was bound to PV " + c.volumeName().get() + " and is now Lost: the PV"
                + " was bound to claim " + ref.get().namespaceOrEmpty() + "/" + ref.get().nameOrEmpty() + " meanwhile");
          }
        }
        if (!c.isBound()) {
          continue;
        }
        if (c.volumeName().isEmpty()) {
          return Optional.of("claim " + ck + " is Bound but names no volume");
        }
        String vn = c.volumeName().get();
        String other = boundBy.put(vn, ck);
        if (other != null) {
          return Optional.of("claims " + other + " and " + ck + " are both Bound to PV " + vn);
        }
        Optional<PersistentVolume> pv = s.get(Volumes.volumeKey(vn), PersistentVolume.class);
        if (pv.isEmpty()) {
          return Optional.of("claim " + ck + " is Bound to PV " + vn + " which does not exist");
        }
        Optional<ObjectReference> ref = pv.get().spec().claimRef();
        if (ref.isEmpty() || !ref.get().nameOrEmpty().equals(c.metadata().name())
            || !ref.get().namespaceOrEmpty().equals(c.metadata().namespaceOrEmpty())
            || !ref.get().uidOrEmpty().equals(c.metadata().uid().orElse(""))) {
          return Optional.of("claim " + ck + " is Bound to PV " + vn + " but the PV's claimRef is "
              + ref.map(r -> r.namespaceOrEmpty() + "/" + r.nameOrEmpty() + " uid=" + r.uidOrEmpty()).orElse("empty"));
        }
      }
      for (PersistentVolume pv : s.list(PersistentVolume.KIND, PersistentVolume.class)) {
        if (!pv.isBound()) {
          continue;
        }
        Optional<ObjectReference> ref = pv.spec().claimRef();
        if (ref.isEmpty()) {
          return Optional.of("PV " + pv.metadata().name() + " is Bound without a claimRef");
        }
        Optional<PersistentVolumeClaim> c = s.get(Volumes.claimKey(ref.get().namespaceOrEmpty(), ref.get().nameOrEmpty()),
            PersistentVolumeClaim.class).filter(x -> x.metadata().uid().orElse("").equals(ref.get().uidOrEmpty()));
        if (c.isEmpty()) {
          return Optional.of("PV " + pv.metadata().name() + " is Bound but its claim " + ref.get().namespaceOrEmpty()
              + "/" + ref.get().nameOrEmpty() + " (uid " + ref.get().uidOrEmpty() + ") does not exist");
        }
        if (!c.get().volumeName().equals(Optional.of(pv.metadata().name()))) {
          return Optional.of("PV " + pv.metadata().name() + " is Bound to claim " + ObjectKey.of(c.get()).namespacedName()
              + " which names volume " + c.get().volumeName().orElse("<none>"));
        }
      }
      return Optional.empty();
    }
  };

  /** A bound claim got what it asked for. */
  public static final Invariant BINDING_HONOURS_REQUEST = new Invariant() {
    @Override
    public String name() {
      return "binding-honours-request";
    }

    @Override
    public String description() {
      return "A Bound claim's PV offers every access mode the claim requests, has its class and volume mode,"
          + " and at least the requested capacity.";
    }

    @Override
    public Optional<String> afterStep(SimView view) {
      ClusterState s = view.state();
      for (PersistentVolumeClaim c : s.list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class)) {
        if (!c.isBound() || c.volumeName().isEmpty()) {
          continue;
        }
        Optional<PersistentVolume> found = s.get(Volumes.volumeKey(c.volumeName().get()), PersistentVolume.class);
        if (found.isEmpty()) {
          continue; // binding-one-to-one reports it
        }
        PersistentVolume pv = found.get();
        String ck = ObjectKey.of(c).namespacedName();
        String vn = pv.metadata().name();
        if (!pv.spec().accessModes().containsAll(c.spec().accessModes())) {
          return Optional.of("claim " + ck + " requests " + c.spec().accessModes() + " but is Bound to PV " + vn
              + " offering " + pv.spec().accessModes());
        }
        if (!Volumes.storageClass(pv).equals(Volumes.storageClass(c))) {
          boolean foreign = vn.startsWith("pvc-") && !vn.equals("pvc-" + c.metadata().uid().orElse(""));
          return Optional.of("claim " + ck + " of class \"" + Volumes.storageClass(c) + "\" is Bound to PV " + vn
              + " of class \"" + Volumes.storageClass(pv) + "\""
              + (foreign ? " (the PV was provisioned for an earlier claim with this name)" : ""));
        }
        if (!pv.spec().effectiveVolumeMode().equals(c.spec().effectiveVolumeMode())) {
          return Optional.of("claim " + ck + " volumeMode " + c.spec().effectiveVolumeMode() + " is Bound to PV " + vn
              + " with volumeMode " + pv.spec().effectiveVolumeMode());
        }
        // A claim whose request grew after binding asks for more than its volume until the
        // expansion is done: what binding guaranteed is the capacity it reported then.
        long needed = c.status().capacity().containsKey("storage")
            ? Math.min(Volumes.requestedBytes(c), c.status().capacity().get("storage").value())
            : Volumes.requestedBytes(c);
        if (Volumes.capacityBytes(pv) < needed) {
          return Optional.of("claim " + ck + " requests " + Volumes.requestedBytes(c) + " bytes but is Bound to PV " + vn
              + " of " + Volumes.capacityBytes(pv) + " bytes");
        }
      }
      return Optional.empty();
    }
  };

  /** No Multi-Attach: single-node volumes are used from one node (and RWOP from one pod). */
  public static final Invariant SINGLE_NODE_ACCESS = new Invariant() {
    @Override
    public String name() {
      return "single-node-access";
    }

    @Override
    public String description() {
      return "No ReadWriteOnce volume is attached, published or used by running pods on two nodes, and no"
          + " ReadWriteOncePod volume is published for or used by two pods (running: phase Running and not"
          + " being deleted).";
    }

    @Override
    public Optional<String> afterStep(SimView view) {
      ClusterState s = view.state();
      Map<String, PersistentVolume> byHandle = csiVolumesByHandle(s);
      for (var e : view.driver().controllerPublications().entrySet()) {
        PersistentVolume pv = byHandle.get(e.getKey());
        if (pv != null && singleNode(pv) && e.getValue().size() > 1) {
          return Optional.of("volume " + e.getKey() + " of PV " + pv.metadata().name() + " (" + pv.spec().accessModes()
              + ") is attached to nodes " + e.getValue());
        }
      }
      for (var e : view.driver().nodePublications().entrySet()) {
        PersistentVolume pv = byHandle.get(e.getKey());
        if (pv == null) {
          continue;
        }
        Set<String> nodes = new TreeSet<>(e.getValue().values());
        if (singleNode(pv) && nodes.size() > 1) {
          return Optional.of("volume " + e.getKey() + " of PV " + pv.metadata().name() + " (" + pv.spec().accessModes()
              + ") is published on nodes " + nodes);
        }
        if (pv.spec().accessModes().equals(List.of(AccessModes.READ_WRITE_ONCE_POD)) && e.getValue().size() > 1) {
          return Optional.of("ReadWriteOncePod volume " + e.getKey() + " of PV " + pv.metadata().name()
              + " is published at " + e.getValue().keySet());
        }
      }
      Map<String, Set<String>> attachedTo = new TreeMap<>();
      for (VolumeAttachment va : s.list(VolumeAttachment.KIND, VolumeAttachment.class)) {
        if (va.status().attached()) {
          va.spec().source().persistentVolumeName()
              .ifPresent(pv -> attachedTo.computeIfAbsent(pv, k -> new TreeSet<>()).add(va.spec().nodeName()));
        }
      }
      for (var e : attachedTo.entrySet()) {
        Optional<PersistentVolume> pv = s.get(Volumes.volumeKey(e.getKey()), PersistentVolume.class);
        if (pv.isPresent() && singleNode(pv.get()) && e.getValue().size() > 1) {
          return Optional.of("VolumeAttachments say PV " + e.getKey() + " (" + pv.get().spec().accessModes()
              + ") is attached to nodes " + e.getValue());
        }
      }
      // Running pods (as the kubelet reports them) sharing a single-node volume.
      Map<String, List<Pod>> runningByVolume = new TreeMap<>();
      for (Pod p : s.list(Pod.KIND, Pod.class)) {
        // A pod being deleted has its containers stopped before its volumes are torn down (the
        // kubelet's order); the driver-level checks above still cover its mounts.
        if (!"Running".equals(p.status().phase().orElse("")) || p.nodeName().isEmpty() || p.metadata().isDeleting()) {
          continue;
        }
        for (ObjectKey ck : PodIndex.claimsOf(p)) {
          s.get(ck, PersistentVolumeClaim.class)
              .flatMap(PersistentVolumeClaim::volumeName)
              .ifPresent(v -> runningByVolume.computeIfAbsent(v, k -> new ArrayList<>()).add(p));
        }
      }
      for (var e : runningByVolume.entrySet()) {
        Optional<PersistentVolume> pv = s.get(Volumes.volumeKey(e.getKey()), PersistentVolume.class);
        if (pv.isEmpty() || e.getValue().size() < 2) {
          continue;
        }
        Set<String> nodes = new TreeSet<>();
        List<String> pods = new ArrayList<>();
        for (Pod p : e.getValue()) {
          nodes.add(p.nodeName().get());
          pods.add(p.metadata().name());
        }
        if (pv.get().spec().accessModes().equals(List.of(AccessModes.READ_WRITE_ONCE_POD))) {
          return Optional.of("ReadWriteOncePod PV " + e.getKey() + " is used by running pods " + pods);
        }
        if (singleNode(pv.get()) && nodes.size() > 1) {
          return Optional.of("PV " + e.getKey() + " (" + pv.get().spec().accessModes() + ") is used by running pods "
              + pods + " on nodes " + nodes);
        }
      }
      return Optional.empty();
    }
  };

  /** No detach under a mounted volume. */
  public static final Invariant DETACH_AFTER_UNMOUNT = new Invariant() {
    @Override
    public String name() {
      return "detach-after-unmount";
    }

    @Override
    public String description() {
      return "The engine never detaches (ControllerUnpublishVolume) a volume from a node where it is still staged"
          + " or published, unless the node is gone or out of service (forced detach).";
    }

    @Override
    public Optional<String> onEffectStart(String effectId, String description, boolean alreadyInFlight, SimView view) {
      if (!description.startsWith("ControllerUnpublishVolume ") || description.endsWith(" forced")) {
        return Optional.empty();
      }
      String volume = field(description, "volumeId=");
      String node = field(description, "nodeId=");
      boolean staged = view.driver().nodeStages().getOrDefault(volume, com.google.common.collect.ImmutableSet.of())
          .contains(node);
      boolean published = view.driver().nodePublications().getOrDefault(volume, com.google.common.collect.ImmutableMap.of())
          .containsValue(node);
      if (staged || published) {
        return Optional.of("effect " + effectId + " detaches volume " + volume + " from node " + node + " while it is still "
            + (published ? "published (mounted for a pod)" : "staged") + " there");
      }
      return Optional.empty();
    }
  };

  private static String field(String description, String prefix) {
    int i = description.indexOf(prefix);
    return i < 0 ? "" : description.substring(i + prefix.length()).split(" ")[0];
  }

  /** The CSI PVs of the state by volume handle. */
  static Map<String, PersistentVolume> csiVolumesByHandle(ClusterState s) {
    Map<String, PersistentVolume> byHandle = new HashMap<>();
    for (PersistentVolume pv : s.list(PersistentVolume.KIND, PersistentVolume.class)) {
      pv.csi().ifPresent(csi -> byHandle.put(csi.volumeHandle(), pv));
    }
    return byHandle;
  }

  /** Whether every access mode of the PV is a single-node one. */
  static boolean singleNode(PersistentVolume pv) {
    for (String m : pv.spec().accessModes()) {
      if (!m.equals(AccessModes.READ_WRITE_ONCE) && !m.equals(AccessModes.READ_WRITE_ONCE_POD)) {
        return false;
      }
    }
    return !pv.spec().accessModes().isEmpty();
  }

  /** A StatefulSet's claim retention policy Retain never loses a claim (see {@link StatefulSetInvariants}). */
  public static final Invariant STATEFULSET_RETAIN_KEEPS_CLAIMS = StatefulSetInvariants.RETAIN_KEEPS_STATEFULSET_CLAIMS;

  /** Retain means retain. */
  public static final Invariant RETAIN_NEVER_DELETED = new Invariant() {
    @Override
    public String name() {
      return "retain-never-deleted";
    }

    @Override
    public String description() {
      return "The engine never issues DeleteVolume for the backing volume of a PV whose reclaim policy is Retain"
          + " (nor of one removed while it was Retain).";
    }

    @Override
    public Optional<String> onEffectStart(String effectId, String description, boolean alreadyInFlight, SimView view) {
      if (!description.startsWith("DeleteVolume ")) {
        return Optional.empty();
      }
      int i = description.indexOf("volumeId=");
      if (i < 0) {
        return Optional.empty();
      }
      String handle = description.substring(i + "volumeId=".length()).split(" ")[0];
      for (PersistentVolume pv : view.state().list(PersistentVolume.KIND, PersistentVolume.class)) {
        if (pv.csi().map(c -> c.volumeHandle().equals(handle)).orElse(false)
            && !"Delete".equals(pv.reclaimPolicy())) {
          return Optional.of("effect " + effectId + " deletes volume " + handle + " of PV " + pv.metadata().name()
              + " whose reclaim policy is " + pv.reclaimPolicy());
        }
      }
      if (view.retainedVolumes().contains(handle)) {
        return Optional.of("effect " + effectId + " deletes volume " + handle
            + " whose PV was removed with reclaim policy Retain");
      }
      return Optional.empty();
    }
  };

  /** Nothing leaks. */
  public static final Invariant NO_LEAKED_VOLUMES = new Invariant() {
    @Override
    public String name() {
      return "no-leaked-volumes";
    }

    @Override
    public String description() {
      return "Once settled, every backing volume the engine created is referenced by a PV, or its PV was removed"
          + " with reclaim policy Retain.";
    }

    @Override
    public Optional<String> atQuiescence(SimView view) {
      Set<String> referenced = new HashSet<>();
      for (PersistentVolume pv : view.state().list(PersistentVolume.KIND, PersistentVolume.class)) {
        pv.csi().ifPresent(c -> referenced.add(c.volumeHandle()));
      }
      List<String> leaked = new ArrayList<>();
      var created = view.driver().createdVolumes();
      for (String id : view.driver().backingVolumes()) {
        if (!referenced.contains(id) && !view.staticVolumes().contains(id) && !view.retainedVolumes().contains(id)) {
          leaked.add(id + " (" + created.getOrDefault(id, "?") + ")");
        }
      }
      return leaked.isEmpty() ? Optional.empty()
          : Optional.of("backing volumes without a PV after settling: " + leaked);
    }
  };

  /**
   * No claim loses pvc-protection while a pod uses it, nor disappears under a pod whose volume is
   * set up ({@link ClaimProtectionInvariants}).
   */
  public static final Invariant CLAIM_PROTECTED_WHILE_USED = ClaimProtectionInvariants.PROTECTED_WHILE_USED;

  /** Nothing stays Terminating without a reason. */
  public static final Invariant NO_STUCK_TERMINATING = new Invariant() {
    @Override
    public String name() {
      return "no-stuck-terminating";
    }

    @Override
    public String description() {
      return "Once settled, a claim being deleted is still used by a pod on a node, and a PV being deleted is"
          + " still Bound to an existing claim or still attached, or a snapshot not yet ready is taken from it; pods"
          + " and attachments being deleted are gone.";
    }

    @Override
    public Optional<String> atQuiescence(SimView view) {
      ClusterState s = view.state();
      for (PersistentVolumeClaim c : s.list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class)) {
        if (!c.metadata().isDeleting()) {
          continue;
        }
        ObjectKey ck = ObjectKey.of(c);
        boolean used = false;
        for (ObjectKey pk : s.index(PodIndex.class).podsUsing(ck)) {
          used |= s.get(pk, Pod.class).filter(p -> p.nodeName().isPresent()).isPresent();
        }
        // A claim a VolumeSnapshot not yet ready is taken from keeps pvc-as-source-protection, as in
        // Kubernetes, also when the snapshot cannot become ready (its content was deleted, or it is
        // deleted while a Pending claim restores from it): the user must delete that snapshot.
        used |= c.metadata().hasFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION)
            && SnapshotInvariants.sourceOfUnreadySnapshot(s, ck);
        if (!used) {
          return Optional.of("claim " + ck.namespacedName() + " is stuck Terminating (finalizers "
              + c.metadata().finalizers() + ") though no pod on a node uses it");
        }
      }
      for (PersistentVolume pv : s.list(PersistentVolume.KIND, PersistentVolume.class)) {
        if (!pv.metadata().isDeleting()) {
          continue;
        }
        boolean boundToClaim = pv.spec().claimRef()
            .flatMap(r -> s.get(Volumes.claimKey(r.namespaceOrEmpty(), r.nameOrEmpty()), PersistentVolumeClaim.class)
                .filter(c -> c.metadata().uid().orElse("").equals(r.uidOrEmpty())))
            .isPresent();
        boolean attached = false;
        for (VolumeAttachment va : s.list(VolumeAttachment.KIND, VolumeAttachment.class)) {
          attached |= va.spec().source().persistentVolumeName().equals(Optional.of(pv.metadata().name()));
        }
        if (!boundToClaim && !attached) {
          return Optional.of("PV " + pv.metadata().name() + " (" + pv.reclaimPolicy() + ", phase " + pv.phase()
              + ") is stuck Terminating (finalizers " + pv.metadata().finalizers() + ") though no claim holds it");
        }
      }
      for (Pod p : s.list(Pod.KIND, Pod.class)) {
        if (p.metadata().isDeleting()) {
          return Optional.of("pod " + ObjectKey.of(p).namespacedName() + " on node " + p.nodeName().orElse("<none>")
              + " is stuck Terminating (finalizers " + p.metadata().finalizers() + ")");
        }
      }
      for (VolumeAttachment va : s.list(VolumeAttachment.KIND, VolumeAttachment.class)) {
        if (va.metadata().isDeleting()) {
          return Optional.of("VolumeAttachment of PV " + va.spec().source().persistentVolumeName().orElse("?")
              + " to node " + va.spec().nodeName() + " is stuck Terminating (finalizers " + va.metadata().finalizers() + ")");
        }
      }
      return Optional.empty();
    }
  };

  /** A stuck object says why. */
  public static final Invariant PENDING_HAS_EVENT = new Invariant() {
    @Override
    public String name() {
      return "pending-has-event";
    }

    @Override
    public String description() {
      return "Once settled, every Pending claim (and every pod the engine reports Pending) has at least one"
          + " Event explaining why.";
    }

    @Override
    public Optional<String> atQuiescence(SimView view) {
      ClusterState s = view.state();
      Set<String> uids = new HashSet<>();
      Set<String> names = new HashSet<>();
      for (Event e : s.list(Event.KIND, Event.class)) {
        ObjectReference r = e.involvedObject();
        r.uid().ifPresent(uids::add);
        names.add(r.kind().orElse("") + "/" + r.namespaceOrEmpty() + "/" + r.nameOrEmpty());
      }
      for (PersistentVolumeClaim c : s.list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class)) {
        if (c.phase().equals("Pending") && !explained(c.metadata().uid(), c.kind(), ObjectKey.of(c), uids, names)) {
          return Optional.of("claim " + ObjectKey.of(c).namespacedName() + " is Pending without any event"
              + (c.volumeName().map(v -> " (it names volume " + v + ")").orElse("")));
        }
      }
      for (Pod p : s.list(Pod.KIND, Pod.class)) {
        if (p.status().phase().filter("Pending"::equals).isPresent()
            && !explained(p.metadata().uid(), p.kind(), ObjectKey.of(p), uids, names)) {
          List<String> unbound = new ArrayList<>();
          for (ObjectKey ck : PodIndex.claimsOf(p)) {
            Optional<PersistentVolumeClaim> c = s.get(ck, PersistentVolumeClaim.class);
            if (c.isEmpty() || !c.get().isBound()) {
              unbound.add(ck.name());
            }
          }
          List<String> attachErrors = new ArrayList<>();
          for (VolumeAttachment va : s.list(VolumeAttachment.KIND, VolumeAttachment.class)) {
            if (p.nodeName().filter(va.spec().nodeName()::equals).isPresent()) {
              va.status().attachError().flatMap(e -> e.message()).ifPresent(attachErrors::add);
            }
          }
          return Optional.of("pod " + ObjectKey.of(p).namespacedName() + " on node " + p.nodeName().orElse("<none>")
              + " is Pending without any event" + (unbound.isEmpty() ? "" : " (waiting for unbound claims " + unbound + ")")
              + (attachErrors.isEmpty() ? "" : " (attach errors on the node: " + attachErrors + ")"));
        }
      }
      return Optional.empty();
    }

    private boolean explained(Optional<String> uid, String kind, ObjectKey key, Set<String> uids, Set<String> names) {
      return uid.map(uids::contains).orElse(false)
          || names.contains(kind + "/" + key.namespace() + "/" + key.name()) && uid.isEmpty();
    }
  };

  /** The operation log never runs one operation twice at once. */
  public static final Invariant EFFECT_NOT_CONCURRENT = new Invariant() {
    @Override
    public String name() {
      return "effect-not-concurrent";
    }

    @Override
    public String description() {
      return "The engine never starts an effect (CSI operation) while one with the same id is still in flight.";
    }

    @Override
    public Optional<String> onEffectStart(String effectId, String description, boolean alreadyInFlight, SimView view) {
      return alreadyInFlight
          ? Optional.of("effect " + effectId + " (" + description + ") started while already in flight")
          : Optional.empty();
    }
  };

  /**
   * Volume expansion never reports more than there is: a claim's capacity is at most its PV's,
   * a CSI PV's capacity at most what the driver holds for the volume, and a claim's
   * allocatedResources never below its capacity.
   */
  public static final Invariant EXPANSION_BOUNDED = new Invariant() {
    @Override
    public String name() {
      return "expansion-bounded";
    }

    @Override
    public String description() {
      return "A Bound claim's status.capacity is at most its PV's capacity, a CSI PV's capacity at most the driver's"
          + " size of the volume, and status.allocatedResources.storage is never below status.capacity.storage.";
    }

    @Override
    public Optional<String> afterStep(SimView view) {
      ClusterState s = view.state();
      java.util.Map<String, Long> sizes = null;
      for (PersistentVolumeClaim c : s.list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class)) {
        String ck = ObjectKey.of(c).namespacedName();
        var capacity = c.status().capacity().get("storage");
        var allocated = c.status().allocatedResources().get("storage");
        if (capacity != null && allocated != null && allocated.compareTo(capacity) < 0) {
          return Optional.of("claim " + ck + " has allocatedResources " + allocated + " below its capacity " + capacity);
        }
        if (!c.isBound() || c.volumeName().isEmpty() || capacity == null) {
          continue;
        }
        Optional<PersistentVolume> pv = s.get(Volumes.volumeKey(c.volumeName().get()), PersistentVolume.class)
            .filter(v -> Volumes.isBoundToClaim(v, c));
        if (pv.isEmpty()) {
          continue;
        }
        long pvBytes = Volumes.capacityBytes(pv.get());
        if (capacity.value() > pvBytes) {
          return Optional.of("claim " + ck + " reports capacity " + capacity + " above its PV " + pv.get().metadata().name()
              + " of " + pvBytes + " bytes");
        }
        if (pv.get().csi().isPresent() && c.status().allocatedResources().containsKey("storage")) {
          if (sizes == null) {
            sizes = view.driver().backingCapacities();
          }
          Long held = sizes.get(pv.get().csi().get().volumeHandle());
          if (held != null && pvBytes > held) {
            return Optional.of("PV " + pv.get().metadata().name() + " reports " + pvBytes + " bytes but the driver holds "
                + held + " for volume " + pv.get().csi().get().volumeHandle());
          }
        }
      }
      return Optional.empty();
    }
  };
}
