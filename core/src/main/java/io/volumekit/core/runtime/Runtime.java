package io.volumekit.core.runtime;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.controller.Write;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.LocalEffect;
import io.volumekit.core.effect.NodeCsiEffect;
import io.volumekit.core.node.LocalVolumeWriter;
import io.volumekit.core.node.NodePlugins;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.event.Event;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.key.Change;
import io.volumekit.core.metrics.EngineMetrics;
import io.volumekit.core.metrics.GaugeSample;
import io.volumekit.core.metrics.StateGauges;
import io.volumekit.core.metrics.StorageOperations;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.store.Store;
import io.volumekit.core.store.StoreException;
import io.volumekit.model.meta.ApiObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's only impure part: applies {@link Event}s to the store, runs the controllers to a
 * fixpoint, performs their effects on the injected executor, feeds the outcomes back as events,
 * and retries failed effects with exponential backoff ({@link Backoff}).
 *
 * <p>Like the kube-controller-manager, controllers are level-triggered: a committed change is
 * shown to the {@code watch} of every controller whose {@link Controller#watches()} include its
 * kind (an index from kind to controllers), which queues keys; a queued (controller, key) pair is
 * reconciled once however often it was queued. Work is processed in FIFO order, effects in
 * order of issue, timers by due time then creation: with a {@link ManualClock}, a same-thread
 * executor and seeded ids ({@code Ids.seeded}), the same inputs give the same trace byte for byte.
 *
 * <p>An effect in flight is recorded in the state as an {@link Operation}; an effect whose id is
 * in flight, finished but not consumed, or backing off is not started again (Kubernetes'
 * {@code nestedpendingoperations}).
 *
 * <p>Thread-safe: public methods are serialised. Effects may run on other threads; their outcomes
 * are queued and applied by the next call that processes work ({@link #settle()}).
 */
public final class Runtime {

  private static final Logger LOG = LoggerFactory.getLogger(Runtime.class);

  private final Store store;
  private final ImmutableList<Controller> controllers;
  private final Map<String, Integer> controllerIndex = new HashMap<>();
  private final ImmutableMap<String, CsiDriver> drivers;
  /** Performs effects on the drivers, node plugins, the node's filesystem and populators. */
  private final EffectPerformer performer;
  // Timers of scheduled operations (periodic kubelet work), apart from retries and requeues:
  // settle() neither waits for them nor counts them as work left, so periodic work never keeps an
  // engine from settling. One per (due, item) pair, while a scheduled operation waits on it.
  private final ScheduledTimers periodicTimers = new ScheduledTimers();
  // Read at each scrape; added while the engine is built.
  private final List<java.util.function.Supplier<? extends List<GaugeSample>>> gaugeSources =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Clock clock;
  private final Executor executor;
  private final EventRecorder recorder;
  private final Duration defaultHorizon;
  /** One line per event, write and effect, when a trace is kept. */
  private final RuntimeTrace trace;
  private final List<Consumer<Change>> watchers = new CopyOnWriteArrayList<>();
  private final List<EffectListener> effectListeners = new CopyOnWriteArrayList<>();
  /** Metrics and logs around reconciles and effects (never inside a controller). */
  private final Observers observers;

  /** The routing of committed changes to the controllers' watches (their declarations read once). */
  private final ChangeRoutes routes;

  private final WorkQueue queue;
  /** Retries and requeues (counted as work left, unlike the periodic timers). */
  private final RetryTimers timers = new RetryTimers();
  private final Map<WorkQueue.Item, Integer> writeFailures = new HashMap<>();
  private final ConcurrentLinkedQueue<Completed> inbox = new ConcurrentLinkedQueue<>();
  /** Effects started whose outcome has not arrived (whatever the state says about them). */
  private int inFlight;
  /** Threads in {@link #awaitInbox} (changed under the monitor, read by effect threads). */
  private volatile int waiters;
  private long steps;

  /** An effect's outcome waiting to be recorded, with the effect (its operation may be forgotten). */
  private record Completed(Effect effect, Event.Outcome outcome) {}

  /**
   * A runtime over the store.
   *
   * @param controllers the controllers, in the order they see changes
   * @param drivers CSI drivers by name
   * @param executor where effects run; a same-thread executor gives the deterministic mode
   * @param recorder where Kubernetes Events go
   * @param defaultHorizon how far ahead {@link #settle()} waits for retries
   * @param trace receives one line per event, write, effect and outcome, if present
   */
  public Runtime(
      Store store,
      List<? extends Controller> controllers,
      Map<String, ? extends CsiDriver> drivers,
      Clock clock,
      Executor executor,
      EventRecorder recorder,
      Duration defaultHorizon,
      Optional<Consumer<String>> trace) {
    this(store, controllers, drivers, clock, executor, recorder, defaultHorizon, trace,
        defaultNodePlugins(drivers), LocalVolumeWriter.discarding());
  }

  /**
   * A runtime over the store that also performs node-side effects.
   *
   * @param nodePlugins where node RPCs ({@link NodeCsiEffect}) go
   * @param localWriter where node-local volume writes ({@link LocalEffect}) go
   */
  public Runtime(
      Store store,
      List<? extends Controller> controllers,
      Map<String, ? extends CsiDriver> drivers,
      Clock clock,
      Executor executor,
      EventRecorder recorder,
      Duration defaultHorizon,
      Optional<Consumer<String>> trace,
      NodePlugins nodePlugins,
      LocalVolumeWriter localWriter) {
    this.store = Objects.requireNonNull(store, "store");
    this.controllers = ImmutableList.copyOf(controllers);
    this.queue = new WorkQueue();
    for (int i = 0; i < this.controllers.size(); i++) {
      if (controllerIndex.put(this.controllers.get(i).name(), i) != null) {
        throw new IllegalArgumentException("two controllers named " + this.controllers.get(i).name());
      }
    }
    ImmutableList.Builder<WatchedKinds> w = ImmutableList.builder();
    @SuppressWarnings("unchecked")
    Consumer<ObjectKey>[] enq = new Consumer[this.controllers.size()];
    for (int i = 0; i < this.controllers.size(); i++) {
      w.add(Objects.requireNonNull(this.controllers.get(i).watches(), "watches"));
      final int ci = i;
      enq[i] = k -> queue.add(ci, k);
    }
    // Per controller, the enqueue callback handed to its watch (one allocation, not one per change).
    this.routes = new ChangeRoutes(this.controllers.toArray(new Controller[0]), w.build(), enq);
    this.observers = new Observers(this.controllers);
    this.drivers = ImmutableMap.copyOf(drivers);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.performer = new EffectPerformer(this.drivers, nodePlugins, localWriter, clock);
    this.executor = Objects.requireNonNull(executor, "executor");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.defaultHorizon = Objects.requireNonNull(defaultHorizon, "defaultHorizon");
    this.trace = new RuntimeTrace(Objects.requireNonNull(trace, "trace"), clock);
    // Reconcile everything already stored, as controllers do after their informers sync.
    ClusterState s = store.state();
    for (ApiObject o : s.all()) {
      dispatch(s, new Change(ObjectKey.of(o), Optional.empty(), Optional.of(o)));
    }
  }

  private static NodePlugins defaultNodePlugins(Map<String, ? extends CsiDriver> drivers) {
    NodePlugins p = new NodePlugins();
    drivers.forEach((name, d) -> p.register(name, NodePlugins.defaultFactory(d)));
    return p;
  }

  /** The current snapshot. */
  public synchronized ClusterState state() {
    return store.state();
  }

  /** The registered CSI drivers by name. */
  public ImmutableMap<String, CsiDriver> drivers() {
    return drivers;
  }

  /** The clock the runtime reads. */
  public Clock clock() {
    return clock;
  }

  /** Calls the listener with every committed change, on the thread that commits it. */
  public void watch(Consumer<Change> listener) {
    watchers.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Where service-account tokens come from (default: a {@link
   * io.volumekit.core.token.JwtTokenIssuer} with a key generated on first use). The runtime asks it
   * just before a NodePublishVolume whose driver wants tokens and before writing a projected
   * {@code serviceAccountToken} file.
   */
  public void tokenIssuer(io.volumekit.core.token.TokenIssuer issuer) {
    performer.tokenIssuer(issuer);
  }

  /**
   * The puller that fills image volumes ({@link io.volumekit.core.effect.PullImageVolume}); none by
   * default, and then such a pull fails with the reason.
   */
  public void imageVolumePuller(io.volumekit.core.node.ImageVolumePuller puller) {
    performer.imageVolumePuller(puller);
  }

  /**
   * The volume populators that perform {@link io.volumekit.core.effect.PopulateVolume} effects, by
   * the data source kind they fill; none by default, and then such an effect fails with the reason.
   */
  public void populators(Map<io.volumekit.model.populator.SourceKind, io.volumekit.core.populator.Populator> populators) {
    performer.populators(populators);
  }

  /**
   * Calls the listener with every effect started and every outcome recorded, on the thread that
   * records them (see {@link EffectListener} for the locking and exception rules).
   */
  public void addEffectListener(EffectListener listener) {
    effectListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Reports reconciles, effects, retroactive StorageClass assignments and the gauges to {@code
   * metrics} from now on (the engine's gauges: {@link StateGauges} of the current state and this
   * runtime's queue, effects in flight and operations backing off).
   */
  public void useMetrics(EngineMetrics metrics) {
    observers.metrics(metrics);
    metrics.gauges(this::gauges);
  }

  /** The gauges now: the state's and the engine's own. */
  public synchronized ImmutableList<GaugeSample> gauges() {
    ClusterState s = store.state();
    Instant now = clock.instant();
    int backoff = 0;
    for (Operation op : s.operations()) {
      if (op.failed() && op.notBefore().filter(now::isBefore).isPresent()) {
        backoff++;
      }
    }
    ImmutableList.Builder<GaugeSample> out = ImmutableList.<GaugeSample>builder().addAll(StateGauges.of(s))
        .addAll(StateGauges.engine(queue.size(), inFlight, backoff));
    gaugeSources.forEach(g -> out.addAll(g.get()));
    return out.build();
  }

  /**
   * Adds gauges kept outside the state to {@link #gauges()} (the kubelet's volume statistics,
   * {@code kubelet_volume_stats_*}); the source is read at each scrape.
   */
  public void addGaugeSource(java.util.function.Supplier<? extends List<GaugeSample>> source) {
    gaugeSources.add(Objects.requireNonNull(source, "source"));
  }

  /**
   * Applies an input event to the store and queues the resulting work, without running the
   * controllers (call {@link #settle()} for that). An {@link Event.Applied} object takes the
   * store's client write path ({@link Store#write}: defaults, validation, admission). Store and
   * validation errors (invalid, conflict, not found) propagate and leave the state unchanged.
   *
   * @return the object as stored after the event, if any
   */
  public synchronized Optional<ApiObject> submit(Event event) {
    trace.event(event);
    Optional<ApiObject> out = event.accept(submitter);
    dispatchChanges();
    return out;
  }

  /** Applies an input event to the store (one instance, not one per {@link #submit}). */
  private final Event.Visitor<Optional<ApiObject>> submitter = new Event.Visitor<>() {
    @Override
    public Optional<ApiObject> applied(Event.Applied a) {
      return Optional.of(store.write(a.object()));
    }

    @Override
    public Optional<ApiObject> deleteRequested(Event.DeleteRequested d) {
      return store.delete(d.key(), Optional.empty());
    }

    @Override
    public Optional<ApiObject> effectSucceeded(Event.EffectSucceeded s) {
      return submitOutcome(s);
    }

    @Override
    public Optional<ApiObject> effectFailed(Event.EffectFailed f) {
      return submitOutcome(f);
    }

    @Override
    public Optional<ApiObject> timePassed(Event.TimePassed t) {
      if (clock instanceof ManualClock m) {
        m.advanceTo(t.now());
      }
      fireDueTimers();
      return Optional.empty();
    }
  };

  /** An outcome submitted from outside (replay): recorded as if the effect had reported it. */
  private Optional<ApiObject> submitOutcome(Event.Outcome outcome) {
    Optional<Operation> op = store.state().operation(outcome.id()).filter(Operation::inFlight);
    complete(outcome);
    dispatchChanges();
    op.ifPresent(o -> notifyFinished(o.effect(), outcome));
    return Optional.empty();
  }

  /**
   * Reconciles the key with the named controller now, and again after each outcome of its effects
   * that has arrived, until that controller has nothing left to do for the key. Never waits: an
   * effect still running on another thread (or a failed one waiting for its retry) finishes in a
   * later {@link #settle()}; with a same-thread executor its outcome is there at once. Work the
   * writes queue for other controllers waits for the next settle. Used where a caller needs one
   * controller's result at once, e.g. a node's plugin registration.
   */
  public synchronized void reconcileNow(String controller, ObjectKey key) {
    Integer i = controllerIndex.get(controller);
    if (i == null) {
      throw new IllegalArgumentException("no controller named " + controller);
    }
    WorkQueue.Item item = new WorkQueue.Item(i, key);
    queue.remove(item);
    reconcile(item);
    while (true) {
      drainInbox();
      if (!queue.remove(item)) {
        return;
      }
      reconcile(item);
    }
  }

  /** Runs to quiescence, waiting for retries due within the default horizon. */
  public SettleResult settle() {
    return settle(defaultHorizon);
  }

  /**
   * Runs the controllers to a fixpoint, performs their effects and feeds back the outcomes, until
   * nothing is left to do or only timers due after {@code now + horizon} remain. With a {@link
   * ManualClock} time is advanced to each due timer; with another clock, this waits. Scheduled
   * periodic work ({@code Decision.Builder.effectAfter}: republishes, volume stats, token
   * refreshes) is neither waited for nor counted as left to do; it runs when its time has come,
   * so use {@link #runFor} to see it with a manual clock.
   */
  public synchronized SettleResult settle(Duration horizon) {
    Instant begin = clock.instant();
    Instant deadline = begin.plus(horizon);
    long before = steps;
    long limit = 200L * (store.state().size() + 5_000);
    while (true) {
      runUntilIdle(limit);
      if (inFlight > 0) {
        awaitInbox(Optional.empty());
        continue;
      }
      Optional<Instant> next = timers.nextDue();
      if (next.isEmpty() || next.get().isAfter(deadline)) {
        break;
      }
      Instant due = next.get();
      if (clock instanceof ManualClock m) {
        m.advanceTo(due);
        trace.line(() -> "time " + trace.offset(due));
      } else {
        awaitInbox(next);
      }
    }
    observers.metrics().settled();
    return new SettleResult(
        // Scheduled operations (periodic kubelet work) are not work left to do.
        queue.isEmpty() && inFlight == 0 && timers.isEmpty(),
        steps - before,
        timers.size(),
        Duration.between(begin, clock.instant()));
  }

  /**
   * With a {@link ManualClock}: moves time forward by {@code duration}, stopping at every timer due
   * on the way (retries, requeues and scheduled periodic work alike) and settling there, then
   * settles at the end. How a test or a simulation lets minutes of the kubelet's periodic work
   * happen.
   *
   * @throws IllegalStateException with another clock (real time passes by itself)
   */
  public synchronized SettleResult runFor(Duration duration) {
    if (!(clock instanceof ManualClock m)) {
      throw new IllegalStateException("runFor needs a ManualClock; with " + clock + " time passes by itself");
    }
    Instant begin = clock.instant();
    Instant end = begin.plus(duration);
    long before = steps;
    while (true) {
      settle(Duration.ZERO);
      Instant retry = timers.nextDue().orElse(null);
      Instant periodic = periodicTimers.nextDue();
      Instant next = retry == null ? periodic
          : periodic == null || retry.isBefore(periodic) ? retry : periodic;
      if (next == null || next.isAfter(end)) {
        break;
      }
      m.advanceTo(next);
      trace.line(() -> "time " + trace.offset(next));
    }
    m.advanceTo(end);
    SettleResult last = settle(Duration.ZERO);
    return new SettleResult(last.quiescent(), steps - before, last.pendingTimers(), Duration.between(begin, clock.instant()));
  }

  /** Processes queued work and effect outcomes without moving time. */
  public synchronized void runUntilIdle() {
    runUntilIdle(Long.MAX_VALUE);
  }

  private void runUntilIdle(long limit) {
    long budget = limit;
    while (true) {
      // Changes another process committed (a shared store's watch) wait in the store until now.
      dispatchChanges();
      drainInbox();
      fireDueTimers();
      if (queue.isEmpty()) {
        return;
      }
      if (budget-- <= 0) {
        throw new IllegalStateException("controllers reach no fixpoint: still working after " + limit
            + " reconciles; next: " + describe(queue.peek()));
      }
      reconcile(queue.poll());
    }
  }

  private void reconcile(WorkQueue.Item item) {
    steps++;
    Controller c = controllers.get(item.controller);
    // The clock is read only when a reconcile's duration is recorded (metrics are optional).
    boolean timed = observers.recording();
    long begin = timed ? System.nanoTime() : 0L;
    String[] mdc = Observers.enter(c.name(), item.key);
    try {
      Decision d;
      try {
        d = c.reconcile(store.state(), item.key);
      } catch (RuntimeException e) {
        throw new IllegalStateException("controller " + c.name() + " failed on " + item.key, e);
      }
      if (!d.isEmpty()) {
        apply(item, d);
      }
    } finally {
      Observers.exit(mdc);
      if (timed) {
        observers.reconciled(c.name(), System.nanoTime() - begin);
      }
    }
  }

  /**
   * Applies a decision. Its writes go first, in order; if one fails the rest of the decision
   * (events, forgotten and acknowledged operations, effects, enqueued keys, requeue) is dropped
   * and the key is retried with backoff, as a Kubernetes controller aborts a sync on an API error:
   * the next reconcile decides again from the state as it is.
   */
  private void apply(WorkQueue.Item item, Decision d) {
    Controller c = controllers.get(item.controller);
    // The decision's writes are committed together, then their changes are shown to the watches in
    // order: a watch sees the state after the whole decision (as an informer's handler may see a
    // cache that is already ahead of the event it handles), so a controller that wrote two related
    // objects (the binder: PV, then claim) can tell that the pair needs no further sync.
    // Indexed loops over the decision's lists (ImmutableList): no iterator per list per decision.
    ImmutableList<Write> writes = d.writes();
    try {
      for (int i = 0; i < writes.size(); i++) {
        Write w = writes.get(i);
        Optional<ApiObject> before = observers.recording() ? store.state().get(w.key()) : Optional.empty();
        try {
          w.accept(writer);
          observers.wrote(before, w, true);
        } catch (StoreException e) {
          dispatchChanges(); // the writes before this one stay committed (trace order as before)
          observers.wrote(before, w, false);
          int n = writeFailures.merge(item, 1, Integer::sum);
          observers.writeRetry(item.controller, w.key(), e.getMessage(), n, Backoff.delay(n));
          if (trace.on()) {
            trace.line(() -> "write-failed " + c.name() + " " + w.key() + ": " + e.getMessage());
          }
          schedule(clock.instant().plus(Backoff.delay(n)), item);
          return;
        }
      }
      // The operations the decision forgets or acknowledges are part of the state its writes lead
      // to: the watches see them gone (or acknowledged) with the writes, so a watch that queues a
      // key only to forget an operation left behind (the external-attacher on a removed
      // attachment, the reclaimer on a deleted volume's DeleteVolume) does not queue a reconcile
      // that would find nothing to do. Operations are no objects: no change, no trace line, so
      // what watchers, traces and the store's final state show is the same in either order.
      forgetAndAcknowledge(d);
    } finally {
      dispatchChanges();
    }
    if (!writeFailures.isEmpty()) { // hashing the item only when some key is backing off
      writeFailures.remove(item);
    }
    ImmutableList<EventRecord> events = d.events();
    for (int i = 0; i < events.size(); i++) {
      EventRecord e = events.get(i);
      if (trace.on()) {
        trace.line(() -> "event " + e.type() + " " + e.reason() + " " + e.involved() + ": " + e.message());
      }
      recorder.record(store, e, clock.instant());
      dispatchChanges();
    }
    ImmutableList<Effect> effects = d.effects();
    for (int i = 0; i < effects.size(); i++) {
      start(effects.get(i));
    }
    if (!d.scheduled().isEmpty()) {
      scheduleAll(d.scheduled());
    }
    ImmutableList<ObjectKey> enqueue = d.enqueue();
    for (int i = 0; i < enqueue.size(); i++) {
      queue.add(item.controller, enqueue.get(i));
    }
    ImmutableList<Decision.Handoff> handoffs = d.handoffs();
    for (int i = 0; i < handoffs.size(); i++) {
      Decision.Handoff h = handoffs.get(i);
      Integer to = controllerIndex.get(h.controller());
      if (to == null) {
        throw new IllegalStateException("controller " + c.name() + " hands " + h.key() + " to unknown controller "
            + h.controller());
      }
      queue.add(to, h.key());
    }
    if (d.requeueAfter().isPresent()) {
      schedule(clock.instant().plus(d.requeueAfter().get()), item);
    }
  }

  /** Forgets the operations the decision is done with and acknowledges the failures it reported. */
  private void forgetAndAcknowledge(Decision d) {
    ImmutableList<EffectId> forget = d.forget();
    for (int i = 0; i < forget.size(); i++) {
      forget(forget.get(i));
    }
    ImmutableList<EffectId> acknowledge = d.acknowledge();
    for (int i = 0; i < acknowledge.size(); i++) {
      Optional<Operation> op = store.state().operation(acknowledge.get(i));
      if (op.isPresent()) {
        store.recordOperation(op.get().acknowledged());
      }
    }
  }

  /** Records a decision's scheduled effects (or starts those whose operation exists). */
  private void scheduleAll(List<Decision.Scheduled> scheduled) {
    for (Decision.Scheduled s : scheduled) {
      Integer owner = controllerIndex.get(s.effect().controller());
      if (owner == null) {
        throw new IllegalStateException("effect " + s.effect().id() + " names unknown controller " + s.effect().controller());
      }
      if (store.state().operation(s.effect().id()).isPresent()) {
        start(s.effect());
      } else {
        Instant due = clock.instant().plus(s.delay());
        store.recordOperation(Operation.scheduled(s.effect(), due));
        if (trace.on()) {
          trace.line(() -> "effect scheduled " + s.effect().id() + " at " + trace.offset(due) + " " + s.effect().describe());
        }
        periodicTimers.arm(due, new WorkQueue.Item(owner, s.effect().owner()), s.effect().id());
      }
    }
  }

  /** Performs a controller's write on the store, with API semantics. */
  private final Write.Visitor<Void> writer = new Write.Visitor<>() {
    @Override
    public Void create(Write.Create w) {
      store.create(w.object());
      return null;
    }

    @Override
    public Void update(Write.Update w) {
      store.update(w.object());
      return null;
    }

    @Override
    public Void delete(Write.Delete w) {
      if (store.state().contains(w.key())) {
        store.delete(w.key(), w.uid());
      }
      return null;
    }
  };

  private void start(Effect effect) {
    Integer owner = controllerIndex.get(effect.controller());
    if (owner == null) {
      throw new IllegalStateException("effect " + effect.id() + " names unknown controller " + effect.controller());
    }
    Optional<Operation> existing = store.state().operation(effect.id());
    int attempt = 1;
    boolean uncertain = false;
    if (existing.isPresent()) {
      Operation op = existing.get();
      if (op.inFlight() || op.succeeded()) {
        return;
      }
      if (op.notBefore().isPresent() && clock.instant().isBefore(op.notBefore().get())) {
        if (op.scheduled()) { // a runtime started after a restart has no timer for it yet
          periodicTimers.arm(op.notBefore().get(), new WorkQueue.Item(owner, effect.owner()), effect.id());
        }
        return; // backing off or scheduled; a timer reconciles the owner when the wait is over
      }
      attempt = op.attempts() + 1;
      uncertain = op.uncertain();
    }
    store.recordOperation(Operation.started(effect, attempt, uncertain));
    inFlight++;
    if (trace.on()) {
      int attemptNo = attempt;
      trace.line(() -> "effect start " + effect.id() + " attempt=" + attemptNo + " " + effect.describe());
    }
    if (!effectListeners.isEmpty()) {
      started(effect, attempt);
    }
    Optional<StorageOperations.Labels> labels = observers.labels(store.state(), effect);
    executor.execute(() -> {
      String[] mdc = Observers.enter(effect.controller(), effect.owner());
      // The call is timed only when its labels are recorded (metrics or the CSI call log).
      boolean timed = labels.isPresent();
      long begin = timed ? System.nanoTime() : 0L;
      Event.Outcome outcome = null;
      try {
        outcome = performer.perform(effect);
      } catch (Error e) {
        // Not the driver's answer (an assertion, a stack overflow, out of memory), but the operation
        // must not stay in flight forever with a settle() waiting for it: it is recorded as failed
        // (retried after the backoff), and the Error goes on to the executor's thread.
        outcome = new Event.EffectFailed(effect.id(), EffectFailure.unexpected(e));
        inbox.add(new Completed(effect, outcome));
        wakeSettle();
        throw e;
      } finally {
        Observers.exit(mdc);
        if (timed) {
          Optional<CsiCode> failure = outcome == null ? Optional.of(CsiCode.UNKNOWN)
              : outcome instanceof Event.EffectFailed f ? Optional.of(f.failure().code()) : Optional.empty();
          observers.performed(labels, failure, System.nanoTime() - begin);
        }
      }
      inbox.add(new Completed(effect, outcome));
      wakeSettle();
    });
  }

  /** Tells the effect listeners that the effect started. */
  private void started(Effect effect, int attempt) {
    for (EffectListener l : effectListeners) {
      try {
        l.started(effect, attempt);
      } catch (RuntimeException e) {
        // Not performed: record it as failed so the operation does not stay in flight forever.
        LOG.debug("effect listener failed on the start of {}", effect.id(), e);
        inbox.add(new Completed(effect, new Event.EffectFailed(effect.id(), EffectFailure.unexpected(e))));
        throw e;
      }
    }
  }

  /**
   * Wakes a {@link #settle} waiting for an outcome, after the outcome is in the inbox (woken
   * earlier, it could find the inbox still empty and sleep on). Takes the monitor only when someone
   * waits: with a same-thread executor nobody ever does. A waiter counts itself before it looks at
   * the inbox, and the effect adds to the inbox before it reads the count (both volatile), so
   * either the waiter sees the outcome or the effect sees the waiter.
   */
  private void wakeSettle() {
    if (waiters > 0) {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  private void awaitInbox(Optional<Instant> until) {
    waiters++; // under the monitor (see wakeSettle)
    try {
      awaitInboxCounted(until);
    } finally {
      waiters--;
    }
  }

  private void awaitInboxCounted(Optional<Instant> until) {
    while (inbox.isEmpty()) {
      long waitMs = until.map(u -> Duration.between(clock.instant(), u).toMillis()).orElse(1000L);
      if (until.isPresent() && waitMs <= 0) {
        return;
      }
      try {
        wait(Math.max(1, waitMs));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while settling", e);
      }
    }
  }

  private void drainInbox() {
    Completed c;
    while ((c = inbox.poll()) != null) {
      inFlight--; // the call is over, even if a controller forgot its operation meanwhile
      trace.event(c.outcome());
      complete(c.outcome());
      dispatchChanges();
      notifyFinished(c.effect(), c.outcome());
    }
  }

  private void notifyFinished(Effect effect, Event.Outcome e) {
    if (effectListeners.isEmpty()) {
      return;
    }
    EffectOutcome outcome = e.fold(
        s -> new EffectOutcome.Succeeded(s.result()),
        f -> new EffectOutcome.Failed(f.failure()));
    for (EffectListener l : effectListeners) {
      try {
        l.finished(effect, outcome);
      } catch (RuntimeException ex) {
        LOG.debug("effect listener failed on the outcome of {}", effect.id(), ex);
        throw ex;
      }
    }
  }

  private void complete(Event.Outcome e) {
    EffectId id = e.id();
    Optional<Operation> op = store.state().operation(id);
    if (op.isEmpty() || !op.get().inFlight()) {
      LOG.debug("outcome for {} which is not in flight; ignored", id);
      return;
    }
    Operation o = op.get();
    int owner = controllerIndex.get(o.effect().controller());
    if (e instanceof Event.EffectSucceeded s) {
      if (o.effect().forgottenOnSuccess()) {
        // Its owner would only forget it (Effect.forgottenOnSuccess): no success record, no reconcile.
        forget(id);
        return;
      }
      store.recordOperation(o.succeeded(s.result().orElse(null)));
      queue.add(owner, o.effect().owner());
    } else {
      WorkQueue.Item item = new WorkQueue.Item(owner, o.effect().owner());
      EffectFailure f = ((Event.EffectFailed) e).failure();
      Duration delay = Backoff.delay(o.attempts(), f.code().retryable());
      Instant notBefore = clock.instant().plus(delay);
      observers.effectRetry(owner, o.effect(), f, o.attempts(), delay);
      store.recordOperation(o.failed(f, notBefore));
      schedule(notBefore, item);
      queue.add(item);
    }
  }

  private void schedule(Instant due, WorkQueue.Item item) {
    timers.add(due, item);
  }

  /** Forgets the operation and the timer a scheduled one waited on. */
  private void forget(EffectId id) {
    store.forgetOperation(id);
    periodicTimers.forgotten(id);
  }

  private void fireDueTimers() {
    if (timers.isEmpty() && periodicTimers.isEmpty()) {
      return; // no clock read per loop when nothing waits
    }
    Instant now = clock.instant();
    timers.fireDue(now, queue::add);
    Instant periodic = periodicTimers.nextDue();
    if (periodic != null && !periodic.isAfter(now)) {
      periodicTimers.fireDue(now, queue::add);
    }
  }

  private void dispatchChanges() {
    List<Change> changes = store.drainChanges();
    if (changes.isEmpty()) {
      return;
    }
    ClusterState s = store.state();
    for (Change c : changes) {
      if (trace.on()) {
        trace.line(() -> "write " + c.type() + " " + c.key() + " rv=" + c.object().metadata().resourceVersion().orElse(""));
      }
      if (!watchers.isEmpty()) { // no copy-on-write iterator per change when nobody watches
        for (Consumer<Change> w : watchers) {
          w.accept(c);
        }
      }
      dispatch(s, c);
    }
  }

  private void dispatch(ClusterState s, Change c) {
    routes.dispatch(s, c);
  }

  private String describe(WorkQueue.Item item) {
    return controllers.get(item.controller).name() + " " + item.key;
  }

  /** Reconciles the key with the named controller at the next settle (for tests and tools). */
  public synchronized void enqueue(String controller, ObjectKey key) {
    Integer i = controllerIndex.get(controller);
    if (i == null) {
      throw new IllegalArgumentException("no controller named " + controller);
    }
    queue.add(i, key);
  }

  /** The registered controllers, in order. */
  public ImmutableList<Controller> controllers() {
    return controllers;
  }

  /** Keys currently waiting on a timer (diagnostics). */
  synchronized List<String> pendingTimers() {
    List<String> out = new ArrayList<>();
    timers.forEach((due, item) -> out.add(trace.offset(due) + " " + describe(item)));
    return out;
  }
}
