package io.volumekit.core.modify;

import io.volumekit.core.controller.ChangeFact;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.ControllerModifyVolumeRequest;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.ModifyVolume;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.AttributesClassIndex;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.ModifyVolumeStatus;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.storage.VolumeAttributesClass;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The external-resizer's modify controller: applies a bound claim's VolumeAttributesClass to its
 * volume with CSI ControllerModifyVolume (KEP-3751; docs/cases/modify.md).
 *
 * <p>A claim is modified when it is Bound to a PV of one of this controller's drivers, its {@code
 * spec.volumeAttributesClassName} is set, and it differs from {@code
 * status.currentVolumeAttributesClassName} or a {@code status.modifyVolumeStatus} is left. Then:
 *
 * <ul>
 *   <li>the class does not exist: {@code modifyVolumeStatus} {target, Pending} and a Warning
 *       {@code VolumeModifyFailed} "VAC "x" does not exist."; the claim is re-synced when the
 *       class is created;
 *   <li>otherwise {@code InProgress} with the {@code ModifyingVolume} condition, a Normal {@code
 *       VolumeModify} event and ControllerModifyVolume with the class's {@code parameters};
 *   <li>success: the PV's {@code spec.volumeAttributesClassName} and the claim's current class
 *       become the target, the modify status and conditions are cleared, Normal {@code
 *       VolumeModifySuccessful};
 *   <li>INVALID_ARGUMENT: {@code Infeasible}, retried slowly while the spec still names that
 *       class; setting the spec back to the current class rolls back (ControllerModifyVolume with
 *       the current class's parameters);
 *   <li>an error after which the driver may still be working (DEADLINE_EXCEEDED, UNAVAILABLE...):
 *       stays {@code InProgress} and repeats the call for the same class even if the spec changed
 *       meanwhile (Kubernetes' "uncertain" claims); other final errors stay {@code InProgress}
 *       and are retried with backoff.
 * </ul>
 *
 * <p>Every failure adds the {@code ModifyVolumeError} condition and a Warning {@code
 * VolumeModifyFailed} event. A driver without the MODIFY_VOLUME capability is refused loudly (Pending
 * and a Warning event), where Kubernetes would start no modify controller and change nothing.
 */
public final class ModifyController implements Controller {

  /** The controller name (field manager of its writes). */
  public static final String NAME = "external-resizer-modify";

  /** Event reason: a modification started. */
  public static final String VOLUME_MODIFY = "VolumeModify";
  /** Event reason: a modification finished. */
  public static final String VOLUME_MODIFY_SUCCESSFUL = "VolumeModifySuccessful";
  /** Event reason: a modification could not start or failed. */
  public static final String VOLUME_MODIFY_FAILED = "VolumeModifyFailed";

  private final Map<String, Set<ControllerCapability>> capabilities;

  /** A modify controller for the drivers, with their controller capabilities (ControllerGetCapabilities). */
  public ModifyController(Map<String, ? extends Set<ControllerCapability>> capabilities) {
    Map<String, Set<ControllerCapability>> m = new TreeMap<>();
    capabilities.forEach((k, v) -> m.put(k, Set.copyOf(v)));
    this.capabilities = Map.copyOf(m);
  }

  /** The id of a claim's ControllerModifyVolume operation. */
  public static EffectId modifyId(ObjectKey claim) {
    return EffectId.of("modify-" + claim.namespacedName());
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The claim of the change (its own, or its volume's) is being modified, by the watch's own test. */
  private static final ChangeFact MODIFYING = ChangeFact.of("claim modifying",
      f -> f.claimKey().isPresent() && modifying(f.state(), f.claimKey().get(), f.claim()));

  @Override
  public WatchedKinds watches() {
    // A volume as it is now (its claim's modification); a class when it appears.
    return WatchedKinds.of(PersistentVolumeClaim.KIND, PersistentVolume.KIND, VolumeAttributesClass.KIND)
        .only(PersistentVolume.KIND, Change.Type.ADDED, Change.Type.MODIFIED)
        .only(VolumeAttributesClass.KIND, Change.Type.ADDED)
        .when(PersistentVolumeClaim.KIND, MODIFYING)
        .when(PersistentVolume.KIND, MODIFYING);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      // the claim as it is now is the change's (no look-up in the state)
      case PersistentVolumeClaim.KIND -> enqueueIfModifying(state, change.key(), change.afterAs(PersistentVolumeClaim.class), enqueue);
      case PersistentVolume.KIND -> change.afterAs(PersistentVolume.class)
          .flatMap(Volumes::claimRefKey).ifPresent(k -> enqueueIfModifying(state, k, enqueue));
      case VolumeAttributesClass.KIND -> {
        if (change.before().isEmpty() && change.after().isPresent()) {
          state.index(AttributesClassIndex.class).claims(change.key().name()).forEach(enqueue);
        }
      }
      default -> { }
    }
  }

  /**
   * Queues the claim unless {@link #reconcile} would decide nothing for it: with no modify
   * operation recorded, a claim not bound, naming no VolumeAttributesClass, or whose volume already has
   * the one it names (and no modify status), has nothing to modify ({@code Plan.start}).
   */
  private static void enqueueIfModifying(ClusterState state, ObjectKey claim, Consumer<ObjectKey> enqueue) {
    enqueueIfModifying(state, claim, state.get(claim, PersistentVolumeClaim.class), enqueue);
  }

  /** {@link #enqueueIfModifying(ClusterState, ObjectKey, Consumer)} with the claim as the state has it. */
  private static void enqueueIfModifying(ClusterState state, ObjectKey claim, Optional<PersistentVolumeClaim> found,
      Consumer<ObjectKey> enqueue) {
    if (modifying(state, claim, found)) {
      enqueue.accept(claim);
    }
  }

  /** Whether the claim wants another VolumeAttributesClass or has a modify operation (the watch's test, and {@link #MODIFYING}). */
  private static boolean modifying(ClusterState state, ObjectKey claim, Optional<PersistentVolumeClaim> found) {
    boolean wanted = found.filter(PersistentVolumeClaim::isBound).filter(c -> {
      String spec = c.spec().volumeAttributesClassName().orElse("");
      return !spec.isEmpty() && (c.status().modifyVolumeStatus().isPresent()
          || !spec.equals(c.status().currentVolumeAttributesClassName().orElse("")));
    }).isPresent();
    // (no operation at all: the id, a new string, is not built)
    return wanted || (!state.operations().isEmpty() && state.operation(modifyId(claim)).isPresent());
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    if (!key.kind().equals(PersistentVolumeClaim.KIND)) {
      return Decision.none();
    }
    Optional<Operation> op = state.operation(modifyId(key));
    if (op.isPresent() && (op.get().inFlight() || op.get().scheduled())) {
      return Decision.none(); // OBSERVATION: ControllerModifyVolume is running (or due later)
    }
    Optional<PersistentVolumeClaim> claim = state.get(key, PersistentVolumeClaim.class);
    Optional<PersistentVolume> pv = claim.filter(PersistentVolumeClaim::isBound)
        .flatMap(PersistentVolumeClaim::volumeName)
        .flatMap(n -> state.get(Volumes.volumeKey(n), PersistentVolume.class));
    Optional<String> driver = pv.flatMap(v -> v.spec().csi()).map(CSIPersistentVolumeSource::driver)
        .filter(capabilities::containsKey);
    if (claim.isEmpty() || pv.isEmpty() || driver.isEmpty()) {
      // OBSERVATION: the claim is gone, not bound, or its volume is not one of this controller's drivers.
      return op.map(o -> Decision.builder().forget(o.id()).build()).orElse(Decision.none());
    }
    Plan plan = new Plan(state, key, claim.get(), pv.get(), driver.get());
    if (op.isPresent()) {
      plan.outcome(op.get());
    } else {
      plan.start();
    }
    return plan.build();
  }

  /** One reconcile: the claim as it will be written, and the rest of the decision. */
  private final class Plan {
    private final ClusterState state;
    private final ObjectKey key;
    private final PersistentVolumeClaim original;
    private final PersistentVolume pv;
    private final String driver;
    private final Decision.Builder d = Decision.builder();
    private PersistentVolumeClaim claim;

    Plan(ClusterState state, ObjectKey key, PersistentVolumeClaim claim, PersistentVolume pv, String driver) {
      this.state = state;
      this.key = key;
      this.original = claim;
      this.claim = claim;
      this.pv = pv;
      this.driver = driver;
    }

    Decision build() {
      if (!claim.equals(original)) {
        d.update(claim);
      }
      return d.build();
    }

    private String source() {
      return "external-resizer " + driver;
    }

    /** A finished ControllerModifyVolume: record its outcome, then continue. */
    void outcome(Operation op) {
      ModifyVolume effect = (ModifyVolume) op.effect();
      String target = effect.target();
      if (op.succeeded()) {
        // OBSERVATION: the driver applied the class. PV first, then the claim (as the resizer does).
        if (!pv.spec().volumeAttributesClassName().equals(Optional.of(target))) {
          d.update(pv.withSpec(pv.spec().withVolumeAttributesClassName(Optional.of(target))));
        }
        claim = ModifyStatus.completed(claim, target);
        d.event(EventRecord.normal(source(), key, VOLUME_MODIFY_SUCCESSFUL,
            "external resizer modified volume " + key.name() + " with vac " + target + " successfully"));
        d.forget(op.id());
        return;
      }
      // OBSERVATION: it failed.
      EffectFailure f = op.failure().orElseThrow();
      boolean uncertain = f.mayBeInProgress();
      if (op.unreportedFailure()) {
        d.acknowledge(op.id());
        boolean infeasible = !uncertain && f.code() == CsiCode.INVALID_ARGUMENT;
        claim = ModifyStatus.error(claim, f.text());
        claim = ModifyStatus.mark(claim, target, infeasible ? ModifyStatus.INFEASIBLE : ModifyStatus.IN_PROGRESS,
            Optional.of(f.text()));
        d.event(EventRecord.warning(source(), key, VOLUME_MODIFY_FAILED,
            f.text() + (uncertain ? ". Still modifying to VAC " + target : "")));
      }
      String spec = claim.spec().volumeAttributesClassName().orElse("");
      if (uncertain || spec.equals(target)) {
        // The driver may still be applying the class, or the spec still asks for it: repeat the
        // call (the runtime waits out the backoff first; the cap at once for INVALID_ARGUMENT).
        d.effect(effect);
        return;
      }
      // The call certainly stopped and the spec names another class now: start toward it.
      d.forget(op.id());
      start();
    }

    /** No operation: decide whether to modify, and start. */
    void start() {
      String spec = claim.spec().volumeAttributesClassName().orElse("");
      String current = claim.status().currentVolumeAttributesClassName().orElse("");
      Optional<ModifyVolumeStatus> status = claim.status().modifyVolumeStatus();
      if (spec.isEmpty() || (status.isEmpty() && spec.equals(current))) {
        return; // OBSERVATION: no class asked for, or the volume has it
      }
      Optional<VolumeAttributesClass> vac =
          state.get(ObjectKey.cluster(VolumeAttributesClass.KIND, spec), VolumeAttributesClass.class);
      if (vac.isEmpty()) {
        // OBSERVATION: the class does not exist (yet); its creation re-syncs this claim.
        pending(spec, "VAC \"" + spec + "\" does not exist.");
        return;
      }
      if (!capabilities.get(driver).contains(ControllerCapability.MODIFY_VOLUME)) {
        pending(spec, "CSI driver " + driver + " does not support ControllerModifyVolume (no MODIFY_VOLUME "
            + "capability); volumeAttributesClassName " + spec + " cannot be applied");
        return;
      }
      String handle = pv.spec().csi().orElseThrow().volumeHandle();
      claim = ModifyStatus.mark(claim, spec, ModifyStatus.IN_PROGRESS, Optional.empty());
      d.event(EventRecord.normal(source(), key, VOLUME_MODIFY,
          "external resizer is modifying volume " + key.name() + " with vac " + spec));
      d.effect(new ModifyVolume(modifyId(key), key, NAME, driver, spec,
          ControllerModifyVolumeRequest.of(handle, vac.get().parameters())));
    }

    private void pending(String spec, String message) {
      PersistentVolumeClaim marked = ModifyStatus.mark(claim, spec, ModifyStatus.PENDING, Optional.empty());
      if (!marked.equals(claim)) {
        claim = marked;
        d.event(EventRecord.warning(source(), key, VOLUME_MODIFY_FAILED, message));
      }
    }
  }
}
