package io.volumekit.testkit;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.node.LocalVolumeWriter;
import io.volumekit.core.event.Event;
import io.volumekit.core.runtime.EffectListener;
import io.volumekit.core.runtime.EffectOutcome;
import io.volumekit.core.runtime.ManualClock;
import io.volumekit.core.runtime.Runtime;
import io.volumekit.core.runtime.SettleResult;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.store.StoreException;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.validation.InvalidObjectException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * One execution of a history against a fresh engine: the {@link Cluster} the steps act on and the
 * {@link SimView} the invariants read. Single-threaded; not reusable.
 */
final class SimulationRun implements Cluster, SimView {

  /** The kubelet root the simulated nodes report (nothing is written there). */
  static final Path KUBELET_ROOT = Path.of("/var/lib/kubelet");

  /** Thrown through the engine to stop the run at the first violation. */
  private static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abort() {
      super(null, null, false, false);
    }
  }

  /**
   * A controller counting its reconciles, so a livelock (controllers re-queueing each other
   * forever, even silently) is caught as a violation instead of hanging the run.
   */
  private final class Counted extends io.volumekit.core.controller.ForwardingController {

    Counted(Controller delegate) {
      super(delegate);
    }

    @Override
    public Decision reconcile(ClusterState state, ObjectKey key) {
      if (++reconcilesThisPump > config.maxReconcilesPerSettle()) {
        violate(Invariants.SETTLE_TERMINATES, "controllers reach no fixpoint: more than "
            + config.maxReconcilesPerSettle() + " reconciles without becoming idle; last: " + delegate().name() + " "
            + key);
      }
      return delegate().reconcile(state, key);
    }
  }

  /** An effect captured by the executor, not run yet. */
  private record Held(String key, Runnable work) {}

  /** The executor of the engine's effects: captures them so the run decides when they complete. */
  private final class SimExecutor implements Executor {
    boolean passthrough;
    List<Held> captured = new ArrayList<>();

    @Override
    public void execute(Runnable command) {
      effects++;
      if (passthrough) {
        command.run();
      } else {
        captured.add(new Held(lastStartedEffect, command));
      }
    }
  }

  private final Simulation.Config config;
  private final long seed;
  private final ImmutableList<Step> history;
  private final ManualClock clock = new ManualClock();
  private final Instant start = clock.instant();
  private final InMemoryCsiDriver memory;
  private final FaultInjectingCsiDriver driver;
  private final SimExecutor executor = new SimExecutor();
  private final VolumeKit kit;
  private final Runtime runtime;
  private final List<Held> held = new ArrayList<>();
  private final Set<String> staticVolumes = new TreeSet<>();
  private final Set<String> retainedVolumes = new TreeSet<>();
  private final Set<String> retainedSnapshots = new TreeSet<>();
  private final Set<String> inFlight = new HashSet<>();
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private ClusterState mirror = ClusterState.empty();
  private Optional<Violation> violation = Optional.empty();
  private String lastStartedEffect = "";
  private int step = -1;
  private long effects;
  private long linesThisPump;
  private long reconcilesThisPump;
  private long traceLines;
  private long traceHash = 0xcbf29ce484222325L;
  private long pumps;
  private int staticCounter;

  SimulationRun(Simulation.Config config, long seed, List<Step> history) {
    this.config = config;
    this.seed = seed;
    this.history = ImmutableList.copyOf(history);
    this.memory = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults()
        .withDriverName(SimObjects.DRIVER).withClock(clock).withCapacityBytes(config.driverCapacityBytes())
        .withMutableParameterKeys(SimObjects.MUTABLE_PARAMETER_KEYS));
    this.driver = new FaultInjectingCsiDriver(memory, seed, config.faults(), Optional.of(clock));
    // A real VolumeKit, with the controller list open to the caller (each counted) and each
    // node's CSI calls going to that node's view of the driver.
    this.kit = VolumeKit.builder()
        .clock(clock)
        .executor(executor)
        .seed(seed)
        .settleHorizon(config.settleHorizon())
        .trace(this::onTrace)
        .driver(SimObjects.DRIVER, driver, driver::forNode)
        .kubeletRoot(KUBELET_ROOT)
        .localVolumeWriter(LocalVolumeWriter.discarding())
        .controllers(defaults -> {
          List<Controller> counted = new ArrayList<>();
          for (Controller c : config.engine().apply(defaults)) {
            counted.add(new Counted(c));
          }
          return counted;
        })
        .effectListener(new EffectListener() {
          @Override
          public void started(Effect effect, int attempt) {
            onEffectStart(effect, attempt);
          }

          @Override
          public void finished(Effect effect, EffectOutcome outcome) {
            inFlight.remove(effect.id().toString());
          }
        })
        .build();
    this.runtime = kit.runtime();
    runtime.watch(this::onChange);
    driver.listen(this::onDriverRecord);
  }

  // ------------------------------------------------------------------------------------------ run

  SimulationResult run() {
    for (step = 0; step < history.size() && violation.isEmpty(); step++) {
      Step s = history.get(step);
      note("step " + step + ": " + s);
      try {
        s.run(this);
        pump();
        check(config.invariants(), i -> i.afterStep(this));
      } catch (Abort a) {
        break;
      } catch (RuntimeException e) {
        recordFailure(e); // an exception escaped the engine (e.g. from a controller's watch)
        break;
      }
    }
    if (violation.isEmpty()) {
      step = history.size();
      note("final: faults stop, the engine settles");
      try {
        driver.quiet();
        SettleResult r = settleFully(config.finalHorizon());
        if (!r.quiescent()) {
          // Retrying what the driver itself keeps refusing (a conflict that persists, as
          // Kubernetes retries it forever) is not a livelock; anything else is.
          List<String> refused = new ArrayList<>();
          for (Operation op : runtime.state().operations()) {
            op.failure().filter(f -> !f.message().startsWith("injected"))
                .ifPresent(f -> refused.add(op.id() + ": " + f.code()));
          }
          if (refused.isEmpty()) {
            violate(Invariants.SETTLE_TERMINATES, "not quiescent " + config.finalHorizon()
                + " after faults stopped: " + r.pendingTimers() + " timers still pending, and no"
                + " operation is refused by the driver");
          }
          note("not quiescent: retrying operations the driver refuses: " + refused);
        }
        driver.finishInProgressWork();
        check(config.invariants(), i -> i.afterStep(this));
        check(config.invariants(), i -> i.atQuiescence(this));
      } catch (Abort a) {
        // recorded in violation
      } catch (RuntimeException e) {
        recordFailure(e);
      }
    }
    long stateHash = 0;
    for (ApiObject o : runtime.state().all()) {
      stateHash = stateHash * 31 + o.toString().hashCode();
    }
    return new SimulationResult(seed, history, violation, traceLines, effects, driver.injectedFaults(),
        Duration.between(start, clock.instant()), traceHash, stateHash, ImmutableList.copyOf(tail));
  }

  /** Runs queued work and lets captured effects complete, some now and some later (held). */
  private void pump() {
    pumps++;
    linesThisPump = 0;
    reconcilesThisPump = 0;
    List<Held> release = new ArrayList<>();
    for (var it = held.iterator(); it.hasNext(); ) {
      Held h = it.next();
      if (draw(h.key(), "release", pumps) < 0.5) {
        release.add(h);
        it.remove();
      }
    }
    runEffects(release);
    while (true) {
      runUntilIdle();
      if (executor.captured.isEmpty()) {
        return;
      }
      List<Held> batch = executor.captured;
      executor.captured = new ArrayList<>();
      List<Held> now = new ArrayList<>();
      for (Held h : batch) {
        if (draw(h.key(), "hold", 0) < config.effectHoldRate()) {
          held.add(h);
          note("effect held in flight: " + h.key());
        } else {
          now.add(h);
        }
      }
      runEffects(now);
      if (now.isEmpty()) {
        runUntilIdle();
        return;
      }
    }
  }

  private void runEffects(List<Held> effects) {
    for (Held h : effects) {
      h.work().run();
    }
  }

  private void runUntilIdle() {
    try {
      runtime.runUntilIdle();
    } catch (Abort a) {
      throw a;
    } catch (RuntimeException e) {
      engineFailure(e);
    }
  }

  private SettleResult settleFully(Duration horizon) {
    executor.passthrough = true;
    try {
      List<Held> all = new ArrayList<>(held);
      held.clear();
      all.addAll(executor.captured);
      executor.captured = new ArrayList<>();
      linesThisPump = 0;
      reconcilesThisPump = 0;
      runEffects(all);
      return runtime.settle(horizon);
    } catch (Abort a) {
      throw a;
    } catch (RuntimeException e) {
      engineFailure(e);
      throw new Abort();
    } finally {
      executor.passthrough = false;
    }
  }

  private void recordFailure(RuntimeException e) {
    try {
      engineFailure(e);
    } catch (Abort a) {
      // recorded in violation
    }
  }

  private void engineFailure(RuntimeException e) {
    String msg = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    if (msg.startsWith("controllers reach no fixpoint")) {
      violate(Invariants.SETTLE_TERMINATES, msg);
    }
    StringBuilder b = new StringBuilder(e.toString());
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      b.append("; caused by ").append(t);
    }
    StackTraceElement[] st = (e.getCause() != null ? e.getCause() : e).getStackTrace();
    for (int i = 0; i < Math.min(6, st.length); i++) {
      b.append("\n      at ").append(st[i]);
    }
    violate(Invariants.ENGINE_ERROR, b.toString());
  }

  private double draw(String key, String what, long n) {
    return new SplittableRandom(FaultInjectingCsiDriver.mix(seed, what, key, (int) n)).nextDouble();
  }

  // ------------------------------------------------------------------------------------------ hooks

  private interface Check {
    Optional<String> apply(Invariant i);
  }

  private void check(List<Invariant> invariants, Check c) {
    for (Invariant i : invariants) {
      Optional<String> v = c.apply(i);
      if (v.isPresent()) {
        violate(i.name(), v.get());
      }
    }
  }

  private void violate(String invariant, String message) {
    if (violation.isEmpty()) {
      String where = step >= 0 && step < history.size() ? history.get(step).toString()
          : step < 0 ? "setup" : "final settle";
      violation = Optional.of(new Violation(invariant, message, step, where));
      note("VIOLATION " + invariant + ": " + message);
    }
    throw new Abort();
  }

  private void onChange(Change c) {
    if (c.after().isPresent()) {
      mirror = mirror.put(c.after().get());
    } else {
      mirror = mirror.remove(c.key());
      c.beforeAs(PersistentVolume.class).ifPresent(pv -> {
        if (!"Delete".equals(pv.reclaimPolicy())) {
          pv.csi().ifPresent(csi -> retainedVolumes.add(csi.volumeHandle()));
        }
      });
      c.beforeAs(io.volumekit.model.snapshot.VolumeSnapshotContent.class).ifPresent(content -> {
        if (!"Delete".equals(content.spec().deletionPolicy())) {
          content.status().snapshotHandle().ifPresent(retainedSnapshots::add);
          content.spec().source().snapshotHandle().ifPresent(retainedSnapshots::add);
          String uid = content.spec().volumeSnapshotRef().uidOrEmpty();
          if (!uid.isEmpty()) {
            retainedSnapshots.add("snapshot-" + uid);
          }
        }
      });
      c.beforeAs(io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent.class).ifPresent(content -> {
        if (!"Delete".equals(content.spec().deletionPolicy())) { // the group and its members are kept on purpose
          content.status().volumeGroupSnapshotHandle().ifPresent(retainedSnapshots::add);
          content.spec().source().groupSnapshotHandles().ifPresent(h -> retainedSnapshots.add(h.volumeGroupSnapshotHandle()));
          content.status().volumeSnapshotHandlePairList().forEach(p -> retainedSnapshots.add(p.snapshotHandle()));
          content.spec().source().groupSnapshotHandles().ifPresent(h -> retainedSnapshots.addAll(h.volumeSnapshotHandles()));
          String uid = content.spec().volumeGroupSnapshotRef().uidOrEmpty();
          if (!uid.isEmpty()) {
            retainedSnapshots.add("groupsnapshot-" + uid);
          }
        }
      });
    }
    check(config.invariants(), i -> i.onChange(c, mirrorView()));
  }

  private void onTrace(String line) {
    traceHash = (traceHash ^ line.hashCode()) * 0x100000001b3L;
    traceLines++;
    if (++linesThisPump > config.maxTraceLinesPerSettle()) {
      violate(Invariants.SETTLE_TERMINATES, "controllers reach no fixpoint: more than "
          + config.maxTraceLinesPerSettle() + " trace lines without becoming idle; last: " + line);
    }
    remember(line);
  }

  private void onEffectStart(Effect effect, int attempt) {
    String id = effect.id().toString();
    String description = effect.describe();
    boolean already = !inFlight.add(id);
    lastStartedEffect = id + "#attempt=" + attempt;
    check(config.invariants(), i -> i.onEffectStart(id, description, already, mirrorView()));
  }

  private SimView mirrorView() {
    SimulationRun self = this;
    return new SimView() {
      @Override
      public ClusterState state() {
        return mirror;
      }

      @Override
      public FaultInjectingCsiDriver driver() {
        return self.driver;
      }

      @Override
      public ImmutableSet<String> staticVolumes() {
        return self.staticVolumes();
      }

      @Override
      public ImmutableSet<String> retainedVolumes() {
        return self.retainedVolumes();
      }

      @Override
      public ImmutableSet<String> retainedSnapshots() {
        return ImmutableSet.copyOf(self.retainedSnapshots);
      }

      @Override
      public int step() {
        return self.step;
      }
    };
  }

  private void note(String line) {
    remember("+" + Duration.between(start, clock.instant()).toMillis() + "ms # " + line);
  }

  private void remember(String line) {
    tail.addLast(line);
    while (tail.size() > config.traceTailLines()) {
      tail.removeFirst();
    }
  }

  private void onDriverRecord(FaultInjectingCsiDriver.Record r) {
    remember("+" + Duration.between(start, r.at()).toMillis() + "ms # driver: " + r.rpc() + " " + r.key() + " -> "
        + r.outcome());
  }

  // ------------------------------------------------------------------------------------------ Cluster

  @Override
  public ClusterState state() {
    return runtime.state();
  }

  @Override
  public void create(ApiObject object) {
    if (runtime.state().contains(ObjectKey.of(object))) {
      note("skipped: " + ObjectKey.of(object) + " exists");
      return;
    }
    if (submit(new Event.Applied(object), ObjectKey.of(object)) && object instanceof Node n) {
      registerNode(n.metadata().name());
    }
  }

  /**
   * The node's kubelet registers the driver's node plugin (as VolumeKit.registerNode does):
   * NodeGetInfo, then the Node's topology labels and node-id annotation and its CSINode.
   */
  private void registerNode(String node) {
    driver.nodeReachable(node, true);
    kit.registerNode(node);
  }

  @Override
  public void update(ObjectKey key, UnaryOperator<ApiObject> change) {
    Optional<ApiObject> stored = runtime.state().get(key);
    if (stored.isEmpty()) {
      note("skipped: " + key + " does not exist");
      return;
    }
    ApiObject updated = change.apply(stored.get());
    if (updated.equals(stored.get())) {
      note("skipped: " + key + " unchanged");
      return;
    }
    submit(new Event.Applied(updated), key);
  }

  @Override
  public void delete(ObjectKey key) {
    if (!runtime.state().contains(key)) {
      note("skipped: " + key + " does not exist");
      return;
    }
    if (submit(new Event.DeleteRequested(key), key) && key.kind().equals(Node.KIND)) {
      driver.nodeReachable(key.name(), false); // the node and its kubelet are gone
      driver.destroyNode(key.name());
    }
  }

  private boolean submit(Event e, ObjectKey key) {
    try {
      runtime.submit(e);
      return true;
    } catch (StoreException | InvalidObjectException ex) {
      note("rejected by the API: " + key + ": " + ex.getMessage());
      return false;
    }
  }

  @Override
  public Optional<String> createBackingVolume(String name, long bytes) {
    String id;
    try {
      id = memory.createVolume(CreateVolumeRequest.of(name + "-" + (staticCounter++), bytes,
          VolumeCapability.mount("ext4", AccessMode.SINGLE_NODE_WRITER))).volume().volumeId();
    } catch (CsiException e) {
      note("administrator could not create backing volume " + name + ": " + e.getMessage());
      return Optional.empty();
    }
    staticVolumes.add(id);
    note("administrator created backing volume " + id);
    return Optional.of(id);
  }

  @Override
  public void advance(Duration duration) {
    runtime.submit(new Event.TimePassed(clock.instant().plus(duration)));
  }

  @Override
  public void settle() {
    SettleResult r = settleFully(config.settleHorizon());
    note("settled: quiescent=" + r.quiescent() + " steps=" + r.steps() + " pendingTimers=" + r.pendingTimers());
  }

  @Override
  public FaultInjectingCsiDriver driver() {
    return driver;
  }

  // ------------------------------------------------------------------------------------------ SimView

  @Override
  public ImmutableSet<String> staticVolumes() {
    return ImmutableSet.copyOf(staticVolumes);
  }

  @Override
  public ImmutableSet<String> retainedVolumes() {
    return ImmutableSet.copyOf(retainedVolumes);
  }

  @Override
  public ImmutableSet<String> retainedSnapshots() {
    return ImmutableSet.copyOf(retainedSnapshots);
  }

  @Override
  public int step() {
    return step;
  }
}
