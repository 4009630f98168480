package io.volumekit.core.runtime;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Write;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.metrics.EngineMetrics;
import io.volumekit.core.metrics.StorageOperations;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The runtime's metrics and logs, kept out of {@link Runtime}'s control flow: what a reconcile, an
 * effect, a controller's write and a retry report to the {@link EngineMetrics} and to SLF4J.
 *
 * <p>Loggers have stable names (docs/observability.md): {@code io.volumekit.controller.<name>} for
 * what concerns one controller's work (warnings for every retry with backoff), {@code
 * io.volumekit.csi.calls} for one debug line per CSI call (method, driver, code, duration; never
 * a request, so never a secret). While a controller reconciles a key, and while an effect runs,
 * the MDC holds {@code controller} and {@code object} (the key, e.g. {@code
 * PersistentVolumeClaim/default/data}).
 */
final class Observers {

  /** MDC key: the controller whose work is being done. */
  static final String MDC_CONTROLLER = "controller";
  /** MDC key: the object key being reconciled, or the owner of the effect being performed. */
  static final String MDC_OBJECT = "object";

  /**
   * Whether SLF4J has a binding that keeps an MDC: without one (no provider, or a NOP one) the two
   * puts per reconcile, and the key's string, are work nobody reads.
   */
  private static final boolean MDC_ACTIVE = !(MDC.getMDCAdapter() instanceof org.slf4j.helpers.NOPMDCAdapter)
      && MDC.getMDCAdapter() != null;
  private static final String[] NO_MDC = {};

  private static final Logger CSI_CALLS = LoggerFactory.getLogger("io.volumekit.csi.calls");

  private final ImmutableList<Logger> loggers;
  private volatile EngineMetrics metrics = EngineMetrics.noop();

  Observers(List<? extends Controller> controllers) {
    this.loggers = controllers.stream().map(c -> LoggerFactory.getLogger(loggerName(c.name())))
        .collect(ImmutableList.toImmutableList());
  }

  /** The logger of a controller's work. */
  static String loggerName(String controller) {
    return "io.volumekit.controller." + controller;
  }

  void metrics(EngineMetrics m) {
    this.metrics = Objects.requireNonNull(m, "metrics");
  }

  EngineMetrics metrics() {
    return metrics;
  }

  boolean recording() {
    return metrics != EngineMetrics.noop();
  }

  /**
   * Puts the controller and the key in the MDC, for the work on that key.
   *
   * @return what the MDC held before, for {@link #exit}: an effect run on the reconciling thread
   *     (a same-thread executor) gives the reconcile its MDC back
   */
  static String[] enter(String controller, ObjectKey key) {
    if (!MDC_ACTIVE) {
      return NO_MDC;
    }
    String[] before = {MDC.get(MDC_CONTROLLER), MDC.get(MDC_OBJECT)};
    MDC.put(MDC_CONTROLLER, controller);
    MDC.put(MDC_OBJECT, key.toString());
    return before;
  }

  /** Gives the MDC back what {@link #enter} found. */
  static void exit(String[] before) {
    if (before == NO_MDC) {
      return;
    }
    restore(MDC_CONTROLLER, before[0]);
    restore(MDC_OBJECT, before[1]);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  void reconciled(String controller, long nanos) {
    if (recording()) { // no Duration per reconcile when nothing records it
      metrics.reconciled(controller, Duration.ofNanos(nanos));
    }
  }

  /** The labels of an effect about to start, or empty when nothing records them. */
  Optional<StorageOperations.Labels> labels(ClusterState state, Effect effect) {
    if (!recording() && !CSI_CALLS.isDebugEnabled()) {
      return Optional.empty();
    }
    return Optional.of(StorageOperations.of(state, effect));
  }

  /** An effect returned; {@code failure} is its failure's code, empty on success. */
  void performed(Optional<StorageOperations.Labels> labels, Optional<CsiCode> failure, long nanos) {
    if (labels.isEmpty()) {
      return;
    }
    Duration took = Duration.ofNanos(nanos);
    labels.get().record(metrics, failure, took);
    if (labels.get().method().isPresent() && CSI_CALLS.isDebugEnabled()) {
      CSI_CALLS.debug("{} driver={} code={} took={}ms", labels.get().method().get(), labels.get().driver().orElse(""),
          failure.map(StorageOperations::grpcName).orElse("OK"), took.toNanos() / 1_000_000.0);
    }
  }

  /**
   * A controller's write was tried. An update that gives an existing claim without a class a
   * class is the PV controller's retroactive default StorageClass assignment.
   */
  void wrote(Optional<ApiObject> before, Write write, boolean ok) {
    if (!recording() || !(write instanceof Write.Update u) || !(u.object() instanceof PersistentVolumeClaim after)) {
      return;
    }
    boolean hadNoClass = before.filter(PersistentVolumeClaim.class::isInstance).map(PersistentVolumeClaim.class::cast)
        .map(b -> b.spec().storageClassName().isEmpty()).orElse(false);
    if (hadNoClass && after.spec().storageClassName().isPresent()) {
      metrics.retroactiveStorageClass(ok);
    }
  }

  /** A controller's write failed; the key is retried after {@code delay}. */
  void writeRetry(int controller, ObjectKey key, String error, int failures, Duration delay) {
    loggers.get(controller).warn("could not write {}: {}; retry {} in {}", key, error, failures, delay);
  }

  /** An effect failed; the controller may issue it again after {@code delay}. */
  void effectRetry(int controller, Effect effect, EffectFailure failure, int attempts, Duration delay) {
    loggers.get(controller).warn("{} failed (attempt {}): {}: {}; retry after {}", effect.describe(), attempts,
        failure.code(), failure.message(), delay);
  }
}
