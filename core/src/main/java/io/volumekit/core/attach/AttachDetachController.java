package io.volumekit.core.attach;

import io.volumekit.core.controller.ChangeFact;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.migration.InTreePlugin;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.DriverVolumeIndex;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.NodePodIndex;
import io.volumekit.core.state.PodIndex;
import io.volumekit.core.state.VolumesInUseIndex;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.model.storage.VolumeAttachmentBuilder;
import io.volumekit.model.storage.VolumeAttachmentSourceBuilder;
import io.volumekit.model.storage.VolumeAttachmentSpecBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The attach/detach controller for CSI volumes, reconciled per PersistentVolume.
 *
 * <p>Mirrors kube-controller-manager's {@code attachdetach} reconciler (docs/cases/node-side.md rows AT1-AT7):
 * the desired nodes of a PV are the nodes of scheduled, non-terminated pods using its (Bound)
 * claim; for each it creates the VolumeAttachment {@code csi-<sha256(handle+driver+node)>} (the
 * external-attacher then calls ControllerPublishVolume); an attachment no longer desired is
 * deleted only once the node's kubelet no longer reports the volume in use, except when the node
 * is out of service or gone (non-graceful shutdown: forced detach). A volume whose access modes
 * do not allow multi-attach (RWO, RWOP) is not attached to a second node while attached
 * elsewhere: each pod there gets a {@code FailedAttachVolume} "Multi-Attach error" event. Pods
 * waiting on an attachment that carries an {@code attachError} get a {@code FailedAttachVolume}
 * event with it. No attachment is made for drivers whose CSIDriver says {@code attachRequired: false}.
 *
 * <p>A migrated in-tree PV whose plugin's migration is not complete ({@link
 * CsiMigration#migrationComplete}: Portworx) is translated only for nodes whose CSINode lists the
 * plugin in {@value Annotations#MIGRATED_PLUGINS} ({@code
 * isCSIMigrationSupportedOnNode}); another node would take the in-tree path, which volumekit does
 * not have, so its pods get {@code FailedAttachVolume} and no attachment is made there (a node
 * without a CSINode yet is waited for).
 *
 * <p>Inline in-tree pod volumes of migrated plugins are reconciled per node under {@link
 * Attachments#inlineKey} ({@link InlineAttachments}): their attachment carries {@code
 * spec.source.inlineVolumeSpec} instead of a PV name.
 */
public final class AttachDetachController implements Controller {

  /** The controller's name (also the event source). */
  public static final String NAME = "attachdetach-controller";

  /** Event reason of a failed (or refused) attach. */
  public static final String FAILED_ATTACH_VOLUME = "FailedAttachVolume";

  /** Event reason of a successful attach. */
  public static final String SUCCESSFUL_ATTACH_VOLUME = "SuccessfulAttachVolume";

  private final CsiMigration migration;

  /** The controller, with every in-tree plugin migrated. */
  public AttachDetachController() {
    this(CsiMigration.all());
  }

  /** The controller; PVs of the migrated in-tree plugins are attached through their CSI driver. */
  public AttachDetachController(CsiMigration migration) {
    this.migration = Objects.requireNonNull(migration, "migration");
  }

  @Override
  public String name() {
    return NAME;
  }

  /** What desiredNodes reads of a claim changed (sameClaimForAttach), and some pod uses it. */
  private static final ChangeFact CLAIM_FOR_ATTACH = ChangeFact.of("claim changed for attach",
      f -> f.holds(ChangeFact.CLAIM_USED)
          && !sameClaimForAttach(f.change().beforeAs(PersistentVolumeClaim.class), f.change().afterAs(PersistentVolumeClaim.class)));
  /** A volume's spec changed while some attachment names it or some placed pod uses its claim. */
  private static final ChangeFact BUSY_VOLUME_SPEC = ChangeFact.of("spec of a volume in use",
      f -> (f.holds(ChangeFact.CLAIM_USED_BY_PLACED_POD) || f.holds(ChangeFact.VOLUME_ATTACHED)) && f.holds(ChangeFact.PV_SPEC));

  @Override
  public WatchedKinds watches() {
    // A claim's change matters only to the pods using it; a volume's only when its spec changed
    // while it is attached or its claim used (Attachments.idle).
    return WatchedKinds.of(Pod.KIND, PersistentVolumeClaim.KIND, PersistentVolume.KIND, VolumeAttachment.KIND,
        Node.KIND, CSIDriver.KIND, CSINode.KIND)
        .when(PersistentVolumeClaim.KIND, CLAIM_FOR_ATTACH)
        .when(PersistentVolume.KIND, BUSY_VOLUME_SPEC);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      case Pod.KIND -> {
        if (samePodForAttach(change.beforeAs(Pod.class), change.afterAs(Pod.class))) {
          return; // a status or metadata change: the desired nodes (and events' pods) are the same
        }
        Set<ObjectKey> keys = new LinkedHashSet<>();
        change.beforeAs(Pod.class).ifPresent(p -> volumesOf(state, p, keys::add));
        change.afterAs(Pod.class).ifPresent(p -> volumesOf(state, p, keys::add));
        keys.forEach(enqueue);
      }
      case PersistentVolumeClaim.KIND -> {
        if (sameClaimForAttach(change.beforeAs(PersistentVolumeClaim.class), change.afterAs(PersistentVolumeClaim.class))) {
          return; // desiredNodes reads only the claim's volumeName, phase and owners
        }
        if (state.index(PodIndex.class).podsUsing(change.key()).isEmpty()) {
          // No pod uses the claim: it adds no desired node to any PV, before or after (the binder
          // binding a claim no pod uses yet): one index look-up instead of the PV's.
          return;
        }
        change.beforeAs(PersistentVolumeClaim.class).flatMap(PersistentVolumeClaim::volumeName)
            .ifPresent(v -> enqueueIfCsi(state, v, enqueue));
        change.afterAs(PersistentVolumeClaim.class).flatMap(PersistentVolumeClaim::volumeName)
            .ifPresent(v -> enqueueIfCsi(state, v, enqueue));
      }
      case PersistentVolume.KIND -> {
        // reconcile does nothing for a PV that is gone or not CSI (a PV's source never changes).
        // Its decision reads only the PV's spec (source, claimRef, access modes): a change of the
        // status or metadata alone (phase, finalizers, annotations) cannot change it.
        Optional<PersistentVolume> after = change.afterAs(PersistentVolume.class);
        if (after.flatMap(migration::csiSource).isPresent()
            && !change.beforeAs(PersistentVolume.class).map(b -> b.spec().equals(after.get().spec())).orElse(false)
            && !Attachments.idle(state, after.get())) {
          enqueue.accept(change.key());
        }
      }
      case VolumeAttachment.KIND -> {
        if (sameAttachmentForAttach(change.beforeAs(VolumeAttachment.class), change.afterAs(VolumeAttachment.class))) {
          return;
        }
        VolumeAttachment va = (VolumeAttachment) change.object();
        if (change.before().isEmpty() && madeForDesiredNode(state, va)) {
          return; // (its own creation) the PV's sync had that creation to make before it
        }
        if (change.after().isEmpty() && va.spec().source().persistentVolumeName()
            .flatMap(v -> state.get(Volumes.volumeKey(v), PersistentVolume.class))
            .filter(pv -> Attachments.idle(state, pv)).isPresent()) {
          return; // the last attachment of a volume no placed pod uses is gone: nothing left to do
        }
        enqueueAttached(va, enqueue);
      }
      case Node.KIND -> {
        Optional<Node> b = change.beforeAs(Node.class);
        Optional<Node> a = change.afterAs(Node.class);
        // Compare the annotation strings first; only a changed one is diffed (its differing middle).
        String before = b.map(VolumesInUseIndex::annotation).orElse("");
        String after = a.map(VolumesInUseIndex::annotation).orElse("");
        if (!before.equals(after)) {
          for (String v : VolumesInUseIndex.changed(before, after)) {
            if (VolumesInUseIndex.containsVolume(after, v)) {
              // Newly in use: that can only keep an attachment from being deleted, which no
              // reconcile of the earlier state did (the attachment would be deleting).
              continue;
            }
            enqueue.accept(Volumes.isInlineVolumeName(v) ? Attachments.inlineKey(change.key().name(), v) : Volumes.volumeKey(v));
          }
        }
        boolean down = a.isEmpty() || PodVolumeSupport.isOutOfService(a.get());
        boolean wasDown = b.isEmpty() || PodVolumeSupport.isOutOfService(b.get());
        if (down != wasDown) {
          for (VolumeAttachment va : Attachments.onNode(state, change.key().name())) {
            enqueueAttached(va, enqueue);
          }
        }
      }
      case CSINode.KIND -> {
        // Only a change of the migrated-plugins list matters: the volumes of the node's pods.
        String before = change.beforeAs(CSINode.class).map(AttachDetachController::migratedPlugins).orElse(null);
        String after = change.afterAs(CSINode.class).map(AttachDetachController::migratedPlugins).orElse(null);
        if (!Objects.equals(before, after)) {
          for (ObjectKey pk : state.index(NodePodIndex.class).podsOn(change.key().name())) {
            state.get(pk, Pod.class).ifPresent(p -> volumesOf(state, p, enqueue));
          }
        }
      }
      case CSIDriver.KIND -> {
        // Only that driver's volumes (DriverVolumeIndex), not every PV.
        state.index(DriverVolumeIndex.class).volumesOf(change.key().name()).forEach(enqueue);
      }
      default -> { }
    }
  }

  /**
   * The work items of a placed pod's volumes: the CSI (or migrated) PVs of its claims, and the
   * {@link Attachments#inlineKey} of each inline migrated volume. Shared by the Pod and CSINode
   * watches.
   */
  private void volumesOf(ClusterState state, Pod p, Consumer<ObjectKey> enqueue) {
    if (p.nodeName().isEmpty()) {
      return;
    }
    for (ObjectKey c : PodIndex.claimsOf(p)) {
      state.get(c, PersistentVolumeClaim.class).flatMap(PersistentVolumeClaim::volumeName)
          .ifPresent(v -> enqueueIfCsi(state, v, enqueue));
    }
    InlineAttachments.keysOf(migration, p).forEach(enqueue);
  }

  /**
   * Whether a Pod change leaves what {@link #reconcile} reads of the pod unchanged: its node, whether
   * it terminated, its volumes (the claims it uses and its inline volumes). Status changes such as
   * containers starting, and metadata changes such as a deletion timestamp, are skipped.
   */
  private static boolean samePodForAttach(Optional<Pod> before, Optional<Pod> after) {
    if (before.isEmpty() || after.isEmpty()) {
      return false;
    }
    Pod b = before.get();
    Pod a = after.get();
    return b.nodeName().equals(a.nodeName()) && PodVolumeSupport.isTerminated(b) == PodVolumeSupport.isTerminated(a)
        && b.spec().volumes().equals(a.spec().volumes());
  }

  /** Whether a claim change leaves its volumeName, phase and owners (an ephemeral claim's pod) unchanged. */
  private static boolean sameClaimForAttach(Optional<PersistentVolumeClaim> before, Optional<PersistentVolumeClaim> after) {
    return before.isPresent() && after.isPresent()
        && before.get().volumeName().equals(after.get().volumeName()) && before.get().isBound() == after.get().isBound()
        && before.get().metadata().ownerReferences().equals(after.get().metadata().ownerReferences());
  }

  /**
   * Whether an attachment change can change no decision: same spec, and the same attach error as
   * {@link #reportAttachError} sees it. A finalizer, {@code attached: true} without an error, or a
   * deletion timestamp (which only removes the attachment from what a reconcile may delete or
   * report) are skipped; creation and removal never are.
   */
  private static boolean sameAttachmentForAttach(Optional<VolumeAttachment> before, Optional<VolumeAttachment> after) {
    if (before.isEmpty() || after.isEmpty()) {
      return false;
    }
    VolumeAttachment b = before.get();
    VolumeAttachment a = after.get();
    return b.spec().equals(a.spec()) && (!b.metadata().isDeleting() || a.metadata().isDeleting())
        && reportedError(b).equals(reportedError(a));
  }

  /**
   * Whether a new attachment is the one {@link #reconcile} makes for a desired node of its CSI PV:
   * named as the attacher names it, on a node where a placed pod uses the PV's claim. Before it
   * existed, that PV's sync had work (create it, or report Multi-Attach), so its key was queued
   * already: the creation need not queue it again.
   */
  private static boolean madeForDesiredNode(ClusterState state, VolumeAttachment va) {
    Optional<PersistentVolume> pv = va.spec().source().persistentVolumeName()
        .flatMap(v -> state.get(Volumes.volumeKey(v), PersistentVolume.class));
    Optional<CSIPersistentVolumeSource> csi = pv.flatMap(p -> p.spec().csi()); // not a migrated one
    String node = va.spec().nodeName();
    return csi.isPresent() && PodVolumeSupport.attachRequired(state, csi.get().driver())
        && va.metadata().name().equals(Attachments.name(csi.get().volumeHandle(), csi.get().driver(), node))
        && desiredNodes(state, pv.get()).containsKey(node);
  }

  /** The attach error {@link #reportAttachError} would report for the attachment, if any. */
  private static Optional<String> reportedError(VolumeAttachment va) {
    if (va.status().attached() || va.metadata().isDeleting()) {
      return Optional.empty();
    }
    return va.status().attachError().flatMap(x -> x.message()).filter(m -> !m.isEmpty());
  }

  /** The work item of an attachment's volume: its PV, or its inline key. */
  private static void enqueueAttached(VolumeAttachment va, Consumer<ObjectKey> enqueue) {
    va.spec().source().persistentVolumeName().ifPresent(v -> enqueue.accept(Volumes.volumeKey(v)));
    InlineAttachments.keyOf(va).ifPresent(enqueue);
  }

  /**
   * Queues the PV if it is a CSI volume: {@link #reconcile} decides nothing for a PV that is gone
   * or has another source (a PV's source never changes), so its sync is skipped.
   */
  private void enqueueIfCsi(ClusterState state, String pv, Consumer<ObjectKey> enqueue) {
    ObjectKey k = Volumes.volumeKey(pv);
    Optional<PersistentVolume> found = state.get(k, PersistentVolume.class);
    if (found.flatMap(migration::csiSource).isPresent() && !Attachments.idle(state, found.get())
        && !Attachments.waitsForUnmount(state, found.get())) {
      enqueue.accept(k);
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    if (Attachments.isInlineKey(key)) {
      return InlineAttachments.reconcile(state, migration, key.namespace(), key.name());
    }
    String pvName = key.name();
    Optional<PersistentVolume> pv = state.get(key, PersistentVolume.class);
    List<VolumeAttachment> vas = Attachments.ofVolume(state, pvName);
    // node -> pods on it that use the volume
    Map<String, List<Pod>> desired = new TreeMap<>();
    Optional<CSIPersistentVolumeSource> csi = pv.flatMap(migration::csiSource); // a migrated PV's translated source
    if (csi.isPresent() && PodVolumeSupport.attachRequired(state, csi.get().driver())) {
      desired = desiredNodes(state, pv.get());
    }
    Decision.Builder b = Decision.builder();
    Set<String> attachedNodes = new TreeSet<>();
    for (VolumeAttachment va : vas) {
      String node = va.spec().nodeName();
      attachedNodes.add(node);
      if (desired.containsKey(node) || va.metadata().isDeleting()) {
        continue;
      }
      if (csi.isEmpty() || !va.metadata().name().equals(Attachments.name(csi.get().volumeHandle(), csi.get().driver(), node))) {
        continue; // the CSI attacher detaches only the attachment it names itself (getAttachmentName)
      }
      Optional<Node> n = state.get(ObjectKey.cluster(Node.KIND, node), Node.class);
      boolean down = n.isEmpty() || PodVolumeSupport.isOutOfService(n.get());
      boolean inUse = n.isPresent() && PodVolumeSupport.volumesInUse(state, node).contains(pvName);
      if (inUse && !down) {
        continue; // the kubelet still has it mounted: wait for UnmountDevice
      }
      b.delete(ObjectKey.of(va), va.metadata().uid().orElse(""));
    }
    if (csi.isEmpty()) {
      return b.build();
    }
    String driver = csi.get().driver();
    String handle = csi.get().volumeHandle();
    boolean multi = PodVolumeSupport.multiAttachAllowed(pv.get());
    Optional<InTreePlugin> checked = pv.get().csi().isPresent() ? Optional.empty()
        : migration.plugin(pv.get()).filter(p -> !CsiMigration.migrationComplete(p));
    for (Map.Entry<String, List<Pod>> e : desired.entrySet()) {
      String node = e.getKey();
      if (checked.isPresent() && !migratedOn(state, node, checked.get(), pvName, e.getValue(), b)) {
        continue;
      }
      String name = Attachments.name(handle, driver, node);
      Optional<VolumeAttachment> existing = state.get(Attachments.key(name), VolumeAttachment.class);
      if (existing.isPresent()) {
        reportAttachError(state, pvName, existing.get(), e.getValue(), b);
        continue;
      }
      Set<String> others = new TreeSet<>(attachedNodes);
      others.remove(node);
      if (!multi && !others.isEmpty()) {
        for (Pod p : e.getValue()) {
          b.event(EventRecord.warning(NAME, ObjectKey.of(p), FAILED_ATTACH_VOLUME,
              multiAttachMessage(pvName, p, desired, node)));
        }
        continue;
      }
      attachedNodes.add(node);
      b.create(VolumeAttachmentBuilder.builder()
          .metadata(ObjectMeta.named(name))
          .spec(VolumeAttachmentSpecBuilder.builder().attacher(driver).nodeName(node)
              .source(VolumeAttachmentSourceBuilder.builder().persistentVolumeName(Optional.of(pvName)).build())
              .build())
          .build());
    }
    return b.build();
  }

  /**
   * The operation executor's wait for an attachment fails with its {@code attachError} and every
   * pod on that node gets {@code FailedAttachVolume} (as the external-attacher already reports a
   * failed ControllerPublishVolume): this covers the errors it records without calling the driver
   * (PV marked for deletion, no NodeID, missing secret) and pods that arrive while the error
   * stays. Each pod gets the event once per error text, not again on every sync.
   */
  static void reportAttachError(
      ClusterState state, String pvName, VolumeAttachment va, List<Pod> pods, Decision.Builder b) {
    if (va.status().attached() || va.metadata().isDeleting()) {
      return;
    }
    Optional<String> error = va.status().attachError().flatMap(x -> x.message()).filter(m -> !m.isEmpty());
    if (error.isEmpty()) {
      return;
    }
    for (Pod p : pods) {
      EventRecord r = EventRecord.warning(NAME, ObjectKey.of(p), FAILED_ATTACH_VOLUME,
          "AttachVolume.Attach failed for volume \"" + pvName + "\" : " + error.get());
      if (!r.isRecordedIn(state)) {
        b.event(r);
      }
    }
  }

  /** The CSINode's {@value Annotations#MIGRATED_PLUGINS}, empty when absent. */
  private static String migratedPlugins(CSINode n) {
    return n.metadata().annotations().getOrDefault(Annotations.MIGRATED_PLUGINS, "");
  }

  /**
   * Whether the node's CSINode lists the plugin as migrated; if it exists and does not, each pod
   * there gets {@code FailedAttachVolume} (once per text).
   */
  static boolean migratedOn(ClusterState state, String node, InTreePlugin plugin, String pvName,
      List<Pod> pods, Decision.Builder b) {
    Optional<CSINode> cn = state.get(ObjectKey.cluster(CSINode.KIND, node), CSINode.class);
    if (cn.isEmpty()) {
      return false; // the kubelet has not initialised it yet: its creation reconciles the volume again
    }
    if (List.of(migratedPlugins(cn.get()).split(",")).contains(plugin.inTreePluginName())) {
      return true;
    }
    for (Pod p : pods) {
      EventRecord r = EventRecord.warning(NAME, ObjectKey.of(p), FAILED_ATTACH_VOLUME,
          inTreeOnNodeMessage(pvName, plugin, node));
      if (!r.isRecordedIn(state)) {
        b.event(r);
      }
    }
    return false;
  }

  /** The FailedAttachVolume message for a migrated volume on a node that does not migrate its plugin. */
  static String inTreeOnNodeMessage(String pvName, InTreePlugin plugin, String node) {
    return "AttachVolume.FindAttachablePluginBySpec failed for volume \"" + pvName + "\" : CSI migration of "
        + plugin.inTreePluginName() + " is not enabled on node " + node + " (CSINode annotation "
        + Annotations.MIGRATED_PLUGINS + " does not list it) and the in-tree plugin is not supported";
  }

  /** {@code reportMultiAttachError}'s message for a pod on {@code node}. */
  static String multiAttachMessage(String pvName, Pod pod, Map<String, List<Pod>> desired, String node) {
    List<String> sameNs = new ArrayList<>();
    int otherNs = 0;
    for (Map.Entry<String, List<Pod>> e : desired.entrySet()) {
      if (e.getKey().equals(node)) {
        continue;
      }
      for (Pod p : e.getValue()) {
        if (p.metadata().namespaceOrEmpty().equals(pod.metadata().namespaceOrEmpty())) {
          sameNs.add(p.metadata().name());
        } else {
          otherNs++;
        }
      }
    }
    String suffix;
    if (sameNs.isEmpty() && otherNs == 0) {
      suffix = "Volume is already exclusively attached to one node and can't be attached to another";
    } else {
      suffix = "Volume is already used by pod(s) " + String.join(", ", sameNs)
          + (otherNs > 0 ? (sameNs.isEmpty() ? "" : " and ") + otherNs + " pod(s) in different namespaces" : "");
    }
    return "Multi-Attach error for volume \"" + pvName + "\" " + suffix;
  }

  /** Nodes (name order) of placed, non-terminated pods whose Bound claim the PV's claimRef names by uid. */
  static Map<String, List<Pod>> desiredNodes(ClusterState state, PersistentVolume pv) {
    Map<String, List<Pod>> out = new TreeMap<>();
    Optional<ObjectKey> claimKey = Volumes.claimRefKey(pv);
    if (claimKey.isEmpty()) {
      return out;
    }
    Optional<PersistentVolumeClaim> claim = state.get(claimKey.get(), PersistentVolumeClaim.class);
    if (claim.isEmpty() || !claim.get().isBound() || !claim.get().volumeName().filter(pv.metadata().name()::equals).isPresent()
        || !pv.spec().claimRef().flatMap(r -> r.uid()).equals(claim.get().metadata().uid())) {
      return out;
    }
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claimKey.get())) {
      Optional<Pod> p = state.get(pk, Pod.class);
      if (p.isEmpty() || p.get().nodeName().isEmpty() || PodVolumeSupport.isTerminated(p.get())) {
        continue;
      }
      if (!usesClaimFor(p.get(), claim.get())) {
        continue;
      }
      out.computeIfAbsent(p.get().nodeName().get(), n -> new ArrayList<>()).add(p.get());
    }
    return out;
  }

  /** Whether the pod really uses the claim (an ephemeral claim only when the pod owns it). */
  private static boolean usesClaimFor(Pod pod, PersistentVolumeClaim claim) {
    ObjectKey key = ObjectKey.of(claim);
    for (Volume v : pod.spec().volumes()) {
      if (PodVolumeSupport.usesClaim(pod, v, key)) {
        return v.ephemeral().isEmpty() || PodVolumeSupport.isOwnedBy(claim, pod);
      }
    }
    return false;
  }
}
