package io.volumekit.core.attach;

import io.volumekit.core.controller.ChangeFact;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeResponse;
import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.ControllerPublish;
import io.volumekit.core.effect.ControllerUnpublish;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.podvolume.DriverInfo;
import io.volumekit.core.podvolume.InlineMigratedVolumes;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.SecretReference;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.model.storage.VolumeAttachmentStatus;
import io.volumekit.model.storage.VolumeErrorBuilder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The CSI external-attacher, reconciled per VolumeAttachment (docs/cases/node-side.md rows AT2-AT6).
 *
 * <p>For an attachment of a registered driver with PUBLISH_UNPUBLISH_VOLUME: adds the finalizer
 * {@code external-attacher/<driver>} to the attachment and to its PV (removed from the PV once no
 * attachment refers to it, so a PV cannot disappear while attached) and the node-id annotation,
 * calls ControllerPublishVolume
 * (capability from the PV's access modes, fsType and mountOptions; readonly from {@code
 * spec.csi.readOnly} when the driver has PUBLISH_READONLY; secrets from {@code
 * controllerPublishSecretRef}; node id from the node's CSINode), and on success sets {@code
 * status.attached} and {@code attachmentMetadata} = publish_context; on failure {@code
 * attachError}. On deletion it calls ControllerUnpublishVolume and then removes its finalizer. A
 * driver without PUBLISH_UNPUBLISH_VOLUME gets the trivial handler: attached at once, no
 * finalizer.
 */
public final class ExternalAttacher implements Controller {

  /** The controller's name. */
  public static final String NAME = "csi-attacher";

  private final VolumeHost host;

  /** An attacher for the drivers the host knows. */
  public ExternalAttacher(VolumeHost host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The id of the ControllerPublish effect of the attachment. */
  public static EffectId attachId(String vaName) {
    return EffectId.of("attach/" + vaName);
  }

  /** The id of the ControllerUnpublish effect of the attachment. */
  public static EffectId detachId(String vaName) {
    return EffectId.of("detach/" + vaName);
  }

  /** The volume gained the attacher's finalizer (the watch's first test for a volume). */
  private static final ChangeFact FINALIZER_GAINED = ChangeFact.of("attacher finalizer added",
      f -> f.holds(ChangeFact.FINALIZERS) && f.change().after().filter(ExternalAttacher::hasAttacherFinalizer).isPresent()
          && !f.change().before().filter(ExternalAttacher::hasAttacherFinalizer).isPresent());

  @Override
  public WatchedKinds watches() {
    // A volume's change matters only when it gains the attacher's finalizer (not when it goes).
    return WatchedKinds.of(VolumeAttachment.KIND, PersistentVolume.KIND, CSINode.KIND)
        .only(PersistentVolume.KIND, Change.Type.ADDED, Change.Type.MODIFIED)
        .when(PersistentVolume.KIND, FINALIZER_GAINED);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    if (change.kind().equals(VolumeAttachment.KIND)) {
      if (attachedAlready(change.beforeAs(VolumeAttachment.class), change.afterAs(VolumeAttachment.class))) {
        return;
      }
      // A removed attachment's only work left is forgetting its operations: queued if it has one.
      if (change.after().isPresent() || state.operation(attachId(change.key().name())).isPresent()
          || state.operation(detachId(change.key().name())).isPresent()) {
        enqueue.accept(change.key());
      }
      if (change.after().isEmpty()) {
        ((VolumeAttachment) change.object()).spec().source().persistentVolumeName()
            .ifPresent(pv -> enqueue.accept(Volumes.volumeKey(pv)));
      }
    } else if (change.kind().equals(PersistentVolume.KIND)) {
      // releaseVolume decides something only for a PV with an attacher finalizer and no attachment
      // (an attachment's removal queues the PV again). A PV change never changes its attachments, so
      // only a change that gives the PV such a finalizer can give it work: one that keeps it (the
      // binder's claimRef and phase, the reclaim's writes) finds that work queued already or absent.
      if (change.after().isPresent() && hasAttacherFinalizer(change.after().get())
          && !change.before().map(ExternalAttacher::hasAttacherFinalizer).orElse(false)
          && Attachments.ofVolume(state, change.key().name()).isEmpty()) {
        enqueue.accept(change.key());
      }
    } else if (change.kind().equals(CSINode.KIND) && change.after().isPresent()) {
      for (VolumeAttachment va : Attachments.onNode(state, change.key().name())) {
        if (!va.status().attached()) {
          enqueue.accept(ObjectKey.of(va));
        }
      }
    }
  }

  /** Whether the object carries an {@code external-attacher/<driver>} finalizer (what releaseVolume removes). */
  private static boolean hasAttacherFinalizer(io.volumekit.model.meta.ApiObject o) {
    for (String f : o.metadata().finalizers()) {
      if (f.startsWith("external-attacher/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an attachment change leaves it attached and not being deleted, with the same spec: then
   * {@link #reconcile} reads nothing else of it (it only forgets a finished attach, which the write
   * that set {@code attached} did, or which was already due before the change). Its own status
   * write and finalizers queue nothing.
   */
  private static boolean attachedAlready(Optional<VolumeAttachment> before, Optional<VolumeAttachment> after) {
    return before.isPresent() && after.isPresent() && after.get().status().attached()
        && !before.get().metadata().isDeleting() && !after.get().metadata().isDeleting()
        && before.get().spec().equals(after.get().spec());
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    if (key.kind().equals(PersistentVolume.KIND)) {
      return releaseVolume(state, key);
    }
    Optional<VolumeAttachment> found = state.get(key, VolumeAttachment.class);
    EffectId attachId = attachId(key.name());
    if (found.isEmpty()) {
      EffectId detachId = detachId(key.name());
      Decision.Builder b = Decision.builder();
      state.operation(attachId).filter(op -> !op.inFlight()).ifPresent(op -> b.forget(attachId));
      state.operation(detachId).filter(op -> !op.inFlight()).ifPresent(op -> b.forget(detachId));
      return b.build();
    }
    VolumeAttachment va = found.get();
    String driver = va.spec().attacher();
    Optional<DriverInfo> info = host.driver(driver);
    if (info.isEmpty()) {
      return Decision.none(); // no attacher runs for an unknown driver
    }
    String finalizer = Attachments.finalizer(driver);
    if (va.metadata().isDeleting()) {
      return detach(state, va, finalizer, attachId, detachId(key.name()));
    }
    if (va.status().attached()) {
      return state.operation(attachId).filter(Operation::succeeded).isPresent()
          ? Decision.builder().forget(attachId).build() : Decision.none();
    }
    if (!info.get().publishes()) {
      Decision.Builder b = Decision.builder().update(va.withStatus(new VolumeAttachmentStatus(true, ImmutableMap.of(),
          Optional.empty(), Optional.empty())));
      attachedEvents(state, va).forEach(b::event);
      return b.build();
    }
    Optional<Operation> op = state.operation(attachId);
    if (op.isPresent() && op.get().inFlight()) {
      return Decision.none();
    }
    if (op.isPresent() && op.get().succeeded()) {
      Map<String, String> ctx = op.get().resultAs(ControllerPublishVolumeResponse.class)
          .map(r -> (Map<String, String>) r.publishContext()).orElse(Map.of());
      Decision.Builder b = Decision.builder()
          .update(va.withStatus(new VolumeAttachmentStatus(true, ImmutableMap.copyOf(ctx), Optional.empty(), Optional.empty())))
          .forget(attachId);
      attachedEvents(state, va).forEach(b::event);
      return b.build();
    }
    Decision.Builder b = Decision.builder();
    VolumeAttachment next = va;
    if (op.isPresent() && op.get().unreportedFailure()) {
      String msg = op.get().failure().get().text();
      next = next.withStatus(next.status().withAttachError(Optional.of(
          VolumeErrorBuilder.builder().message(Optional.of(msg))
              .errorCode(Optional.of(op.get().failure().get().code().value())).build())));
      b.acknowledge(attachId);
      String pv = volumeName(state, va);
      for (Pod p : podsUsing(state, va)) {
        b.event(EventRecord.warning(AttachDetachController.NAME, ObjectKey.of(p),
            AttachDetachController.FAILED_ATTACH_VOLUME,
            "AttachVolume.Attach failed for volume \"" + pv + "\" : " + msg));
      }
    }
    Optional<String> nodeId = PodVolumeSupport.nodeId(state, va.spec().nodeName(), driver)
        .or(() -> va.metadata().annotation(Annotations.VA_NODE_ID));
    Optional<PersistentVolume> stored = va.spec().source().persistentVolumeName()
        .flatMap(n -> state.get(Volumes.volumeKey(n), PersistentVolume.class));
    // A migrated in-tree PV is read in its translated form; writes go to the stored object. An
    // inline migrated volume is its translated spec: no PV object, so no PV finalizer.
    Optional<PersistentVolume> pv = stored.map(p -> host.migration().csiView(p).orElse(p)).or(() -> inlineVolume(va));
    Optional<String> problem = Optional.empty();
    if (nodeId.isEmpty()) {
      problem = Optional.of("node \"" + va.spec().nodeName() + "\" has no NodeID for driver " + driver);
    } else if (pv.isEmpty() || pv.get().csi().isEmpty()) {
      problem = Optional.of("persistentvolume \"" + va.spec().source().persistentVolumeName().orElse("")
          + "\" not found or not a CSI volume");
    } else if (pv.get().metadata().isDeleting()) {
      problem = Optional.of("PersistentVolume \"" + pv.get().metadata().name() + "\" is marked for deletion");
    }
    Optional<Secrets> secrets = Optional.of(Secrets.none());
    if (problem.isEmpty()) {
      Optional<SecretReference> ref = pv.get().csi().get().controllerPublishSecretRef();
      if (ref.isPresent()) {
        secrets = PodVolumeSupport.secrets(state, ref.get().namespace().orElse(""), ref.get().name());
        if (secrets.isEmpty()) {
          problem = Optional.of("failed to load secret \"" + ref.get().namespace().orElse("") + "/" + ref.get().name() + "\"");
        }
      }
    }
    if (problem.isPresent()) {
      String msg = problem.get();
      if (!va.status().attachError().flatMap(e -> e.message()).filter(msg::equals).isPresent()) {
        next = next.withStatus(next.status().withAttachError(Optional.of(
            VolumeErrorBuilder.builder().message(Optional.of(msg)).build())));
      }
      if (next != va) {
        b.update(next);
      }
      return b.build();
    }
    if (!next.metadata().hasFinalizer(finalizer)
        || !next.metadata().annotation(Annotations.VA_NODE_ID).filter(nodeId.get()::equals).isPresent()) {
      next = next.withMetadata(next.metadata().withFinalizer(finalizer).withAnnotation(Annotations.VA_NODE_ID, nodeId.get()));
    }
    if (stored.isPresent() && !pv.get().metadata().hasFinalizer(finalizer)) {
      b.update(stored.get().withMetadata(stored.get().metadata().withFinalizer(finalizer)));
    }
    if (next != va) {
      b.update(next);
    }
    b.effect(new ControllerPublish(attachId, key, NAME, driver,
        request(pv.get(), info.get(), nodeId.get(), secrets.get())));
    return b.build();
  }

  /** Removes the attacher's PV finalizers once no attachment refers to the PV. */
  private Decision releaseVolume(ClusterState state, ObjectKey key) {
    Optional<PersistentVolume> pv = state.get(key, PersistentVolume.class);
    if (pv.isEmpty() || !Attachments.ofVolume(state, key.name()).isEmpty()) {
      return Decision.none();
    }
    var meta = pv.get().metadata();
    for (String f : meta.finalizers()) {
      if (f.startsWith("external-attacher/")) {
        meta = meta.withoutFinalizer(f);
      }
    }
    return meta.equals(pv.get().metadata()) ? Decision.none() : Decision.update(pv.get().withMetadata(meta));
  }

  private Decision detach(ClusterState state, VolumeAttachment va, String finalizer, EffectId attachId, EffectId detachId) {
    if (!va.metadata().hasFinalizer(finalizer)) {
      return Decision.none();
    }
    String driver = va.spec().attacher();
    Optional<Operation> op = state.operation(detachId);
    if (op.isPresent() && op.get().inFlight()) {
      return Decision.none();
    }
    Decision.Builder b = Decision.builder();
    if (op.isPresent() && op.get().succeeded()) {
      b.update(va.withMetadata(va.metadata().withoutFinalizer(finalizer)));
      b.forget(detachId);
      state.operation(attachId).filter(o -> !o.inFlight()).ifPresent(o -> b.forget(attachId));
      return b.build();
    }
    if (state.operation(attachId).filter(Operation::inFlight).isPresent()) {
      return Decision.none(); // let the publish finish, then negate it
    }
    if (op.isPresent() && op.get().unreportedFailure()) {
      b.update(va.withStatus(va.status().withDetachError(Optional.of(
          VolumeErrorBuilder.builder().message(Optional.of(op.get().failure().get().text())).build()))));
      b.acknowledge(detachId);
    }
    String nodeId = PodVolumeSupport.nodeId(state, va.spec().nodeName(), driver)
        .or(() -> va.metadata().annotation(Annotations.VA_NODE_ID)).orElse("");
    Optional<CSIPersistentVolumeSource> csi = va.spec().source().persistentVolumeName()
        .flatMap(n -> state.get(Volumes.volumeKey(n), PersistentVolume.class))
        .flatMap(host.migration()::csiSource)
        .or(() -> va.spec().source().inlineVolumeSpec().flatMap(s -> s.csi()));
    String handle = csi.map(CSIPersistentVolumeSource::volumeHandle)
        .or(() -> state.operation(attachId).map(o -> ((ControllerPublish) o.effect()).request().volumeId()))
        .orElse("");
    Secrets secrets = csi.flatMap(CSIPersistentVolumeSource::controllerPublishSecretRef)
        .flatMap(r -> PodVolumeSupport.secrets(state, r.namespace().orElse(""), r.name()))
        .orElse(Secrets.none());
    boolean forced = PodVolumeSupport.nodeIsDown(state, va.spec().nodeName());
    b.effect(new ControllerUnpublish(detachId, ObjectKey.of(va), NAME, driver,
        new ControllerUnpublishVolumeRequest(handle, nodeId, secrets), forced));
    return b.build();
  }

  private static ControllerPublishVolumeRequest request(PersistentVolume pv, DriverInfo info, String nodeId, Secrets secrets) {
    CSIPersistentVolumeSource csi = pv.csi().orElseThrow();
    AccessMode mode = PodVolumeSupport.accessMode(pv.spec().accessModes(),
        info.controller().contains(ControllerCapability.SINGLE_NODE_MULTI_WRITER), false);
    VolumeCapability cap = pv.spec().effectiveVolumeMode().equals("Block")
        ? VolumeCapability.block(mode)
        : VolumeCapability.mount(csi.fsType().orElse(""), pv.spec().mountOptions(), mode);
    boolean readonly = csi.readOnly().orElse(false) && info.controller().contains(ControllerCapability.PUBLISH_READONLY);
    return new ControllerPublishVolumeRequest(csi.volumeHandle(), nodeId, Optional.of(cap), readonly, secrets,
        csi.volumeAttributes());
  }

  /**
   * The translated PV an attachment of an inline migrated volume stands for: its {@code
   * inlineVolumeSpec}, named by its {@link Volumes#inlineVolumeName}.
   */
  private static Optional<PersistentVolume> inlineVolume(VolumeAttachment va) {
    return va.spec().source().inlineVolumeSpec().flatMap(spec -> Volumes.attachedVolume(va)
        .map(n -> PersistentVolumeBuilder.builder().metadata(ObjectMeta.named(n)).spec(spec).build()));
  }

  /** The pods on the attachment's node that use its volume. */
  private List<Pod> podsUsing(ClusterState state, VolumeAttachment va) {
    Optional<PersistentVolume> pv = va.spec().source().persistentVolumeName()
        .flatMap(n -> state.get(Volumes.volumeKey(n), PersistentVolume.class));
    if (pv.isPresent()) {
      return AttachDetachController.desiredNodes(state, pv.get()).getOrDefault(va.spec().nodeName(), List.of());
    }
    return inlineUses(state, va).stream().map(InlineMigratedVolumes.Use::pod).toList();
  }

  /** The users of an inline volume's attachment on its node; none for a PV's. */
  private List<InlineMigratedVolumes.Use> inlineUses(ClusterState state, VolumeAttachment va) {
    if (va.spec().source().inlineVolumeSpec().isEmpty()) {
      return List.of();
    }
    return InlineMigratedVolumes.usersOnNode(state, host.migration(), va.spec().nodeName(),
        Volumes.attachedVolume(va).orElse(""));
  }

  /**
   * The volume name in the attach events: the PV's, or for an inline volume the translated PV's
   * name ({@code ebs.csi.aws.com-vol-1}), as the attach/detach controller names the volume spec.
   */
  private String volumeName(ClusterState state, VolumeAttachment va) {
    return va.spec().source().persistentVolumeName().orElseGet(() -> inlineUses(state, va).stream().findFirst()
        .map(u -> u.inline().pv().metadata().name()).orElse(Volumes.attachedVolume(va).orElse("")));
  }

  private List<EventRecord> attachedEvents(ClusterState state, VolumeAttachment va) {
    String pv = volumeName(state, va);
    return podsUsing(state, va).stream()
        .map(p -> EventRecord.normal(AttachDetachController.NAME, ObjectKey.of(p),
            AttachDetachController.SUCCESSFUL_ATTACH_VOLUME, "AttachVolume.Attach succeeded for volume \"" + pv + "\""))
        .toList();
  }
}
