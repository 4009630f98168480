package io.volumekit.core.expansion;

import io.volumekit.core.controller.ChangeFact;
import static io.volumekit.core.expansion.ClaimResize.CONTROLLER_RESIZE_INFEASIBLE;
import static io.volumekit.core.expansion.ClaimResize.CONTROLLER_RESIZE_IN_PROGRESS;
import static io.volumekit.core.expansion.ClaimResize.NODE_RESIZE_INFEASIBLE;
import static io.volumekit.core.expansion.ClaimResize.NODE_RESIZE_IN_PROGRESS;
import static io.volumekit.core.expansion.ClaimResize.NODE_RESIZE_PENDING;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.csi.ControllerExpandVolumeRequest;
import io.volumekit.core.csi.ControllerExpandVolumeResponse;
import io.volumekit.core.csi.CapacityRange;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.effect.ControllerExpand;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.podvolume.DriverInfo;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.quantity.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The CSI external-resizer, reconciled per claim (docs/cases/expansion.md rows C1-C12): grows the
 * volume of a bound claim whose {@code spec.resources.requests.storage} exceeds its {@code
 * status.capacity}, with the recovery-aware algorithm of KEP-1790 ({@code expandAndRecover}).
 *
 * <p>It chooses the size to expand to from the PV's size, the request and the claim's {@code
 * allocatedResourceStatuses.storage} (the table in docs/cases/expansion.md), marks the claim
 * ({@code Resizing} condition, {@code ControllerResizeInProgress}, {@code allocatedResources}),
 * records {@code Resizing} and calls ControllerExpandVolume when the driver has EXPAND_VOLUME (a
 * driver with only node expansion gets the trivial resize: the PV grows, the node does the rest).
 * On success the PV's capacity becomes what the driver returned, and either the node step is asked
 * for ({@code FileSystemResizePending}, {@code NodeResizePending}, event {@code
 * FileSystemResizeRequired}) or the claim is finished ({@code status.capacity}, event {@code
 * VolumeResizeSuccessful}). A failure records {@code VolumeResizeFailed}; a final one the condition
 * {@code ControllerResizeError}, an infeasible one (INVALID_ARGUMENT, OUT_OF_RANGE, NOT_FOUND) also
 * {@code ControllerResizeInfeasible}. The same call is retried with the runtime's backoff, unless
 * the user lowered the request meanwhile: then the new size is tried, except while the earlier
 * call is uncertain (the driver may still be growing the volume). A driver that expands only
 * offline is not called while a pod uses the claim.
 */
public final class ExternalResizer implements Controller {

  /** The controller's name. */
  public static final String NAME = "external-resizer";

  /** The in-tree expand controller's event source (it hands CSI claims to the external-resizer). */
  public static final String EXPAND_CONTROLLER = "volume_expand";

  private final VolumeHost host;

  /** A resizer for the drivers the host knows. */
  public ExternalResizer(VolumeHost host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The id of the ControllerExpandVolume call for a claim. */
  public static EffectId expandId(ObjectKey claim) {
    return EffectId.of("expand/" + claim.namespace() + "/" + claim.name());
  }

  /** The claim of the change (its own, or its volume's) is resizing, by the watch's own test. */
  private static final ChangeFact RESIZING = ChangeFact.of("claim resizing",
      f -> f.claimKey().isPresent() && resizing(f.state(), f.claimKey().get(), f.claim()));

  private static final ChangeFact TERMINATED = ChangeFact.of("pod terminated",
      f -> f.change().afterAs(Pod.class).filter(PodVolumeSupport::isTerminated).isPresent());

  @Override
  public WatchedKinds watches() {
    // A volume as it is now (its claim's resize); a pod only as it goes or terminates.
    return WatchedKinds.of(PersistentVolumeClaim.KIND, PersistentVolume.KIND, Pod.KIND)
        .only(PersistentVolume.KIND, Change.Type.ADDED, Change.Type.MODIFIED)
        .only(Pod.KIND, Change.Type.MODIFIED, Change.Type.DELETED)
        .when(PersistentVolumeClaim.KIND, RESIZING)
        .when(PersistentVolume.KIND, RESIZING)
        .when(Pod.KIND, Change.Type.MODIFIED, TERMINATED);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      // the claim as it is now is the change's (no look-up in the state)
      case PersistentVolumeClaim.KIND -> enqueueIfResizing(state, change.key(), change.afterAs(PersistentVolumeClaim.class), enqueue);
      case PersistentVolume.KIND -> change.afterAs(PersistentVolume.class).flatMap(Volumes::claimRefKey)
          .ifPresent(k -> enqueueIfResizing(state, k, enqueue));
      case Pod.KIND -> {
        // an offline-only driver waits for the claim's last pod to go
        if (change.after().isEmpty() || change.afterAs(Pod.class).filter(PodVolumeSupport::isTerminated).isPresent()) {
          change.beforeAs(Pod.class).ifPresent(p -> PodIndex.claimsOf(p).forEach(k -> enqueueIfResizing(state, k, enqueue)));
        }
      }
      default -> { }
    }
  }

  /**
   * Queues the claim unless {@link #reconcile} would decide nothing for it: with no expansion
   * operation recorded, a claim not bound or asking for no more than its status capacity is not resized
   * ({@link #newSize} is empty), as external-resizer's {@code pvcNeedResize}.
   */
  private static void enqueueIfResizing(ClusterState state, ObjectKey claim, Consumer<ObjectKey> enqueue) {
    enqueueIfResizing(state, claim, state.get(claim, PersistentVolumeClaim.class), enqueue);
  }

  /** {@link #enqueueIfResizing(ClusterState, ObjectKey, Consumer)} with the claim as the state has it. */
  private static void enqueueIfResizing(ClusterState state, ObjectKey claim, Optional<PersistentVolumeClaim> found,
      Consumer<ObjectKey> enqueue) {
    if (resizing(state, claim, found)) {
      enqueue.accept(claim);
    }
  }

  /** Whether the claim asks for more than its capacity or has an expansion operation (the watch's test, and {@link #RESIZING}). */
  private static boolean resizing(ClusterState state, ObjectKey claim, Optional<PersistentVolumeClaim> found) {
    boolean larger = found.filter(PersistentVolumeClaim::isBound)
        .filter(c -> ClaimResize.requested(c).compareTo(ClaimResize.capacity(c)) > 0).isPresent();
    // (no operation at all: the id, a new string, is not built)
    return larger || (!state.operations().isEmpty() && state.operation(expandId(claim)).isPresent());
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    EffectId id = expandId(key);
    Optional<Operation> op = state.operation(id);
    Optional<PersistentVolumeClaim> found = state.get(key, PersistentVolumeClaim.class);
    if (found.isEmpty() || !found.get().isBound()) {
      // OBSERVATION: claim gone or not bound: nothing to grow; drop a finished call's record
      return op.filter(o -> !o.inFlight()).isPresent() ? Decision.builder().forget(id).build()
          : Decision.none();
    }
    PersistentVolumeClaim claim = found.get();
    Optional<PersistentVolume> pv = claim.volumeName().flatMap(n -> state.get(Volumes.volumeKey(n), PersistentVolume.class));
    if (pv.isEmpty() || pv.get().csi().isEmpty() || !Volumes.isBoundToClaim(pv.get(), claim)) {
      return Decision.none(); // OBSERVATION: the PV is not (yet) bound back to this claim
    }
    String driver = pv.get().csi().get().driver();
    Optional<DriverInfo> info = host.driver(driver);
    if (info.isEmpty()) {
      return Decision.none(); // OBSERVATION: no resizer runs for an unknown driver
    }
    if (op.isPresent() && op.get().inFlight()) {
      return Decision.none(); // OBSERVATION: ControllerExpandVolume is running
    }
    if (op.isPresent() && op.get().succeeded()) {
      return expanded(claim, pv.get(), driver, op.get());
    }
    if (op.isPresent()) {
      return failed(state, claim, pv.get(), info.get(), op.get());
    }
    return start(state, claim, claim, pv.get(), info.get(), false, Decision.builder());
  }

  // ---------------------------------------------------------------- choosing the size

  /**
   * The size to expand to ({@code expandAndRecover}), or empty when there is nothing to do.
   *
   * @param finalError whether the last call for this claim ended with a final error
   */
  static Optional<Quantity> newSize(PersistentVolumeClaim claim, PersistentVolume pv, DriverInfo info, boolean finalError) {
    Quantity spec = ClaimResize.requested(claim);
    if (spec.compareTo(ClaimResize.capacity(claim)) <= 0) {
      return Optional.empty(); // OBSERVATION: the claim is as large as asked
    }
    Quantity pvSize = ClaimResize.capacity(pv);
    String status = ClaimResize.status(claim).orElse("");
    Optional<Quantity> allocated = ClaimResize.allocated(claim);
    if (pvSize.compareTo(spec) < 0) {
      switch (status) {
        case NODE_RESIZE_INFEASIBLE:
          return Optional.of(allocated.orElse(spec));
        case NODE_RESIZE_PENDING, NODE_RESIZE_IN_PROGRESS: {
          Quantity n = allocated.orElse(spec);
          return pvSize.compareTo(n) >= 0 ? Optional.empty() : Optional.of(n); // let the node finish first
        }
        case CONTROLLER_RESIZE_IN_PROGRESS:
          return Optional.of(finalError ? spec : allocated.orElse(spec));
        default:
          return Optional.of(spec);
      }
    }
    switch (status) {
      case NODE_RESIZE_IN_PROGRESS, NODE_RESIZE_PENDING:
        return Optional.empty(); // OBSERVATION: the node step is pending
      case NODE_RESIZE_INFEASIBLE:
        return Optional.of(info.expandsOnController() && allocated.isPresent() ? allocated.get() : spec);
      case CONTROLLER_RESIZE_IN_PROGRESS, CONTROLLER_RESIZE_INFEASIBLE:
        return Optional.of(allocated.orElse(spec));
      default:
        if (allocated.isPresent()) {
          return allocated;
        }
        return ClaimResize.hasCondition(claim, ClaimResize.FILE_SYSTEM_RESIZE_PENDING) ? Optional.empty() : Optional.of(spec);
    }
  }

  // ---------------------------------------------------------------- starting

  /**
   * Marks the claim and starts the expansion to the size {@link #newSize} chooses.
   *
   * @param stored the claim as stored; {@code claim} may carry changes not written yet
   */
  private Decision start(ClusterState state, PersistentVolumeClaim stored, PersistentVolumeClaim claim,
      PersistentVolume pv, DriverInfo info, boolean finalError, Decision.Builder b) {
    Optional<Quantity> size = newSize(claim, pv, info, finalError);
    if (size.isEmpty()) {
      return updated(b, stored, claim).build();
    }
    Quantity newSize = size.get();
    ObjectKey key = ObjectKey.of(claim);
    if (!info.expandsOnController() && !info.expandsOnNode()) {
      // OBSERVATION: the driver cannot expand at all: no external-resizer runs for it
      return updated(b, stored, claim).event(EventRecord.normal(EXPAND_CONTROLLER, key, "ExternalExpanding",
          "waiting for an external controller to expand this PVC")).build();
    }
    Optional<Quantity> allocated = ClaimResize.allocated(claim);
    String status = ClaimResize.status(claim).orElse("");
    boolean sameTarget = allocated.filter(newSize::equals).isPresent();
    if (sameTarget && (status.equals(CONTROLLER_RESIZE_INFEASIBLE)
        || status.equals(NODE_RESIZE_INFEASIBLE) && ClaimResize.requested(claim).equals(newSize))) {
      // OBSERVATION: the same size already failed for good; wait for the user to change the request
      return updated(b, stored, claim).build();
    }
    String driver = pv.csi().get().driver();
    PersistentVolumeClaim next = ClaimResize.withCondition(claim, ClaimResize.RESIZING, "");
    next = next.withMetadata(next.metadata().withoutAnnotation(ClaimResize.NODE_EXPANSION_NOT_REQUIRED));
    if (!sameTarget || status.isEmpty()) {
      next = ClaimResize.withAllocated(ClaimResize.withStatus(next, Optional.of(CONTROLLER_RESIZE_IN_PROGRESS)), newSize);
      b.event(EventRecord.normal(EXPAND_CONTROLLER, key, "ExternalExpanding",
          "waiting for an external controller to expand this PVC"));
    }
    updated(b, stored, next);
    String source = NAME + " " + driver;
    if (!info.expandsOnline() && inUse(state, key)) {
      return b.event(EventRecord.warning(source, key, "VolumeResizeFailed", "Unable to expand " + key.namespace() + "/"
          + key.name() + " because CSI driver " + driver + " only supports offline expansion and volume is currently in-use"))
          .build();
    }
    b.event(EventRecord.normal(source, key, "Resizing", "External resizer is resizing volume " + pv.metadata().name()));
    if (!info.expandsOnController()) {
      // the trivial resizer: no controller call, the node grows the volume
      return grown(b, next, pv, driver, newSize, true).build();
    }
    CSIPersistentVolumeSource csi = pv.csi().get();
    Optional<Secrets> secrets = Optional.of(Secrets.none());
    if (csi.controllerExpandSecretRef().isPresent()) {
      var ref = csi.controllerExpandSecretRef().get();
      secrets = PodVolumeSupport.secrets(state, ref.namespace().orElse(""), ref.name());
      if (secrets.isEmpty()) {
        return b.event(EventRecord.warning(source, key, "VolumeResizeFailed", "resize volume \"" + pv.metadata().name()
            + "\" by resizer \"" + driver + "\" failed: failed to get secret " + ref.namespace().orElse("") + "/"
            + ref.name())).build();
      }
    }
    ControllerExpandVolumeRequest request = new ControllerExpandVolumeRequest(csi.volumeHandle(),
        Optional.of(CapacityRange.atLeast(newSize.value())), secrets.get(), Optional.empty());
    return b.effect(new ControllerExpand(expandId(key), key, NAME, driver, pv.metadata().name(), request)).build();
  }

  /** Whether a pod that is not terminated uses the claim. */
  private static boolean inUse(ClusterState state, ObjectKey claim) {
    for (ObjectKey p : state.index(PodIndex.class).podsUsing(claim)) {
      if (state.get(p, Pod.class).filter(pod -> !PodVolumeSupport.isTerminated(pod)).isPresent()) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- outcomes

  /** ControllerExpandVolume succeeded: the PV grows; the node step is asked for, or all is done. */
  private static Decision expanded(PersistentVolumeClaim claim, PersistentVolume pv, String driver, Operation op) {
    ControllerExpand call = (ControllerExpand) op.effect();
    ControllerExpandVolumeResponse r = op.resultAs(ControllerExpandVolumeResponse.class).orElseThrow();
    long bytes = r.capacityBytes() > 0 ? r.capacityBytes() : call.requiredBytes();
    Decision.Builder b = Decision.builder();
    grown(b, claim, pv, driver, Quantity.ofBytes(bytes), r.nodeExpansionRequired());
    return b.forget(op.id()).build();
  }

  /** Writes the PV's new capacity and the claim's next state. */
  private static Decision.Builder grown(Decision.Builder b, PersistentVolumeClaim claim, PersistentVolume pv,
      String driver, Quantity size, boolean nodeStep) {
    ObjectKey key = ObjectKey.of(claim);
    String source = NAME + " " + driver;
    if (ClaimResize.capacity(pv).compareTo(size) < 0) {
      Map<String, Quantity> cap = new LinkedHashMap<>(pv.spec().capacity());
      cap.put(ClaimResize.STORAGE, size);
      b.update(pv.withSpec(pv.spec().withCapacity(ImmutableMap.copyOf(cap))));
    }
    if (nodeStep) {
      PersistentVolumeClaim next = ClaimResize.withStatus(
          ClaimResize.withCondition(claim, ClaimResize.FILE_SYSTEM_RESIZE_PENDING, ClaimResize.FS_RESIZE_PENDING_MESSAGE),
          Optional.of(NODE_RESIZE_PENDING));
      next = ClaimResize.withoutCondition(next, ClaimResize.CONTROLLER_RESIZE_ERROR);
      return b.update(next).event(EventRecord.normal(source, key, "FileSystemResizeRequired",
          "Require file system resize of volume on node"));
    }
    PersistentVolumeClaim next = ClaimResize.finished(claim, size);
    next = next.withMetadata(next.metadata().withAnnotation(ClaimResize.NODE_EXPANSION_NOT_REQUIRED, "true"));
    return b.update(next).event(EventRecord.normal(source, key, "VolumeResizeSuccessful", "Resize volume succeeded"));
  }

  /** ControllerExpandVolume failed: report once, then retry the same size or try the user's new one. */
  private Decision failed(ClusterState state, PersistentVolumeClaim claim, PersistentVolume pv, DriverInfo info,
      Operation op) {
    ObjectKey key = ObjectKey.of(claim);
    String driver = pv.csi().get().driver();
    EffectFailure f = op.failure().orElseThrow();
    Decision.Builder b = Decision.builder();
    PersistentVolumeClaim next = claim;
    if (op.unreportedFailure()) {
      b.acknowledge(op.id());
      b.event(EventRecord.warning(NAME + " " + driver, key, "VolumeResizeFailed", "resize volume \""
          + pv.metadata().name() + "\" by resizer \"" + driver + "\" failed: " + f.text()));
      if (f.code().isFinal()) {
        next = ClaimResize.withCondition(next, ClaimResize.CONTROLLER_RESIZE_ERROR, "failed to expand pvc with " + f.text());
        if (infeasible(f.code())) {
          next = ClaimResize.withStatus(next, Optional.of(CONTROLLER_RESIZE_INFEASIBLE));
        }
      }
    }
    ControllerExpand call = (ControllerExpand) op.effect();
    // the last attempt's error says whether the driver may still be growing the volume
    boolean finalError = !f.mayBeInProgress();
    Optional<Quantity> size = newSize(next, pv, info, finalError);
    if (!finalError || size.map(s -> s.value() == call.requiredBytes()).orElse(false)) {
      // OBSERVATION: the same size again (or an uncertain call to finish first): the runtime backs off
      return updated(b, claim, next).effect(call).build();
    }
    // OBSERVATION: the user changed the request after a final failure: try the new size
    b.forget(op.id());
    return start(state, claim, next, pv, info, finalError, b);
  }

  /** Adds the update of the stored claim to {@code next}, if they differ. */
  private static Decision.Builder updated(Decision.Builder b, PersistentVolumeClaim stored, PersistentVolumeClaim next) {
    return next.equals(stored) ? b : b.update(next);
  }

  /** Kubernetes' {@code IsInfeasibleError}: the request cannot succeed as it is. */
  static boolean infeasible(CsiCode code) {
    return code == CsiCode.INVALID_ARGUMENT || code == CsiCode.OUT_OF_RANGE || code == CsiCode.NOT_FOUND;
  }
}
