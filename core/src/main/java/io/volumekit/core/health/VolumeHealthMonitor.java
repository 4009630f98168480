package io.volumekit.core.health;

import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.api.Reasons;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.PeriodicEffect;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.ControllerGetVolumeResponse;
import io.volumekit.core.csi.VolumeCondition;
import io.volumekit.core.effect.ControllerGetVolume;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The CSI external-health-monitor controller (docs/cases/node-side.md rows H4-H6): for every
 * Bound PV of a driver with the controller capabilities GET_VOLUME and VOLUME_CONDITION,
 * ControllerGetVolume every {@code interval} (its {@code --monitor-interval}); an abnormal
 * condition is a Warning {@code VolumeConditionAbnormal} on the PV's claim with the driver's
 * message, each interval it stays abnormal. A failed call is retried next interval. Optional, as
 * the sidecar is: {@code VolumeKit.builder().volumeHealthMonitor(interval)}.
 */
public final class VolumeHealthMonitor implements Controller {

  /** The controller's name, and the source of its events. */
  public static final String NAME = "external-health-monitor";

  /** The sidecar's default {@code --monitor-interval}. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

  private final Map<String, ? extends Set<ControllerCapability>> capabilities;
  private final Duration interval;

  /**
   * @param capabilities the controller capabilities of each driver, by name
   * @param interval how often a volume is checked
   */
  public VolumeHealthMonitor(Map<String, ? extends Set<ControllerCapability>> capabilities, Duration interval) {
    this.capabilities = Map.copyOf(capabilities);
    this.interval = Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval: must be positive: " + interval);
    }
  }

  /** The id of the check of the PV. */
  public static EffectId checkId(String pvName) {
    return EffectId.of("health/" + pvName);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WatchedKinds watches() {
    return WatchedKinds.of(PersistentVolume.KIND);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    enqueue.accept(change.key());
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    EffectId id = checkId(key.name());
    Optional<Operation> op = state.operation(id);
    Optional<PersistentVolume> pv = state.get(key, PersistentVolume.class).filter(this::monitored);
    if (pv.isEmpty()) {
      return op.filter(o -> !o.inFlight()).map(o -> Decision.builder().forget(id).build()).orElse(Decision.none());
    }
    var csi = pv.get().csi().orElseThrow();
    ControllerGetVolume check = new ControllerGetVolume(id, key, NAME, csi.driver(), csi.volumeHandle());
    Decision.Builder b = Decision.builder();
    ObjectReference ref = pv.get().spec().claimRef().orElseThrow();
    PeriodicEffect.step(op, check, interval, PeriodicEffect.OnFailure.NEXT_PERIOD, b)
        .flatMap(done -> done.resultAs(ControllerGetVolumeResponse.class))
        .flatMap(r -> r.status().volumeCondition())
        .filter(VolumeCondition::abnormal)
        .ifPresent(c -> b.event(EventRecord.warning(NAME,
            ObjectKey.namespaced(PersistentVolumeClaim.KIND, ref.namespaceOrEmpty(), ref.nameOrEmpty()),
            Reasons.VOLUME_CONDITION_ABNORMAL, c.message())));
    return b.build();
  }

  private boolean monitored(PersistentVolume pv) {
    if (pv.csi().isEmpty() || !pv.isBound() || pv.spec().claimRef().isEmpty() || pv.metadata().isDeleting()) {
      return false;
    }
    Set<ControllerCapability> caps = capabilities.get(pv.csi().get().driver());
    return caps != null && caps.contains(ControllerCapability.GET_VOLUME) && caps.contains(ControllerCapability.VOLUME_CONDITION);
  }
}
