package io.volumekit.store.etcd;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.volumekit.core.Admissions;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.store.Admission;
import io.volumekit.core.store.AlreadyExistsException;
import io.volumekit.core.store.ConflictException;
import io.volumekit.core.store.Ids;
import io.volumekit.core.store.NotFoundException;
import io.volumekit.core.store.Store;
import io.volumekit.core.store.WritePlan;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.meta.ApiObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Store} on etcd, as the Kubernetes API server stores objects: each object is a key
 * ({@link EtcdKeys}) holding its JSON (as the CLI writes it, without {@code resourceVersion}),
 * and its {@code resourceVersion} is the key's etcd modification revision.
 *
 * <ul>
 *   <li>create, update and delete are decided by {@link WritePlan} (the same strategy as {@link
 *       io.volumekit.core.store.InMemoryStore}) and committed as one transaction comparing the
 *       key's modification revision with the one the decision was based on: a stale write is a
 *       {@link ConflictException} with the API server's message, a create of an existing key an
 *       {@link AlreadyExistsException}, an update of a removed one a {@link NotFoundException}.
 *       A write without a resourceVersion precondition is retried against the fresh object, as
 *       the API server's {@code GuaranteedUpdate} does;
 *   <li>{@link #state()} is a local snapshot (the API server's watch cache): listed at one
 *       revision when the store opens, then kept current by a watch from the next revision. The
 *       watch resumes after a disconnect (jetcd re-creates it from the last revision it
 *       delivered); when that revision was compacted ("too old resource version") the store lists
 *       again and reports the difference as changes;
 *   <li>every write of a bound pod also writes its copy under its node ({@code PodsByNode}); a
 *       node agent's store ({@link Builder#podsOfNodes}) lists and watches only its nodes' pods
 *       and the keys that are not pods ({@code EtcdView}), one watch per key range;
 *   <li>changes made by other processes arrive through the watch and are reported by {@link
 *       #drainChanges()} like local ones; {@link #onRemoteChange(Runnable)} tells the runtime;
 *   <li>the engine's operations are stored too ({@code _operations/<id>}, in the given {@link
 *       OperationFormat}), so another process resumes them instead of issuing them twice;
 *   <li>while a {@link Fence} is set, every write also requires that the leader key was created
 *       by this process's election, so a deposed leader's late write fails ({@link
 *       FencedException}).
 * </ul>
 *
 * <p>Thread-safe: the store's monitor guards the snapshot. A write decides under it, sends its
 * transaction without holding it (writes from several threads are in flight at once, as the API
 * server's are; the compare on the key's revision still refuses a stale one), and puts the
 * answer into the snapshot under it again. jetcd's watch callbacks only queue what they receive;
 * the store's watch thread applies it under the monitor, so etcd's event loop never waits for it.
 */
public final class EtcdStore implements Store, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EtcdStore.class);
  private static final int UNCONDITIONAL_RETRIES = 5;
  private static final Duration RELIST_RETRY = Duration.ofSeconds(1);
  private static final long LIST_PAGE = 1000;
  private final long listPage;

  private final Client client;
  private final boolean ownsClient;
  private final EtcdKeys keys;
  private final Clock clock;
  private final Ids ids;
  private final ImmutableList<Admission> admission;
  private final OperationFormat operationFormat;
  private final Duration timeout;
  private final ObjectCodec codec = ObjectCodec.standard().withMode(ObjectCodec.Mode.IGNORE);
  private final ScheduledExecutorService watchThread;
  private final EtcdView view;
  private final ConcurrentLinkedQueue<Received> inbox = new ConcurrentLinkedQueue<>();
  private final List<Runnable> remoteChangeListeners = new CopyOnWriteArrayList<>();

  // Guarded by this.
  private ClusterState state;
  private final List<Change> changes = new ArrayList<>();
  /** The modification revision of each key in the snapshot (objects and operations). */
  private final Map<String, Long> revisions = new HashMap<>();
  /**
   * The revision at which each key was seen removed, until the watch has passed it: an older
   * event of the key arriving later must not bring it back.
   */
  private final Map<String, Long> tombstones = new HashMap<>();
  /** The values this process's writes in flight are putting, by key. */
  private final Map<String, Writing> writing = new HashMap<>();
  /** How many puts are waiting for etcd's answer (a test hook counts them). */
  private int inFlight;
  /**
   * The highest revision the watch (or a list) has delivered events up to: events come in
   * revision order, so every change up to it is in the snapshot.
   */
  private long watchedRevision;
  /**
   * Per watched range ({@link EtcdView#ranges()}): the highest revision its watch delivered
   * events up to, and the highest a progress notification claimed. {@link #watchedRevision} and
   * {@link #progressRevision} are the lowest of them.
   */
  private final long[] reached;
  private final long[] progressed;
  /** Counts the list-and-watch rounds; responses of an earlier round's watches advance nothing. */
  private int generation;
  /** Whether a failed watch has asked to list again (the other watches of its generation need not). */
  private boolean relistPending;
  /**
   * The highest revision a progress notification claimed the watch had reached. Not trusted on
   * its own: etcd before 3.4.24 and 3.5.8 answers a progress request with the current revision
   * even while a new watch is still catching up (etcd issue 15220).
   */
  private long progressRevision;
  /**
   * The highest revision at which a read of etcd showed the snapshot equal to etcd's keys: every
   * change up to it is in the snapshot, and watch events up to it are stale.
   */
  private long confirmedRevision;
  private int relistFailures;
  /** How many changes from other processes were applied, and how many the listeners heard of. */
  private long remoteApplied;
  private long remoteNotified;
  private final List<Watch.Watcher> watchers = new ArrayList<>();
  private Optional<Fence> fence = Optional.empty();
  private boolean watching = true;
  /** Read without the monitor by the watch's callbacks, which must never block jetcd's event loop. */
  private volatile boolean closed;

  private EtcdStore(Builder b, Clock clock, Client client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.keys = new EtcdKeys(b.prefix);
    this.view = b.nodes.isEmpty() ? EtcdView.everything(keys) : EtcdView.podsOf(keys, b.nodes);
    this.reached = new long[view.ranges().size()];
    this.progressed = new long[view.ranges().size()];
    this.clock = clock;
    this.ids = b.ids;
    this.admission = ImmutableList.copyOf(b.admission);
    this.operationFormat = b.operationFormat;
    this.timeout = b.timeout;
    this.listPage = b.listPage;
    this.state = ClusterState.empty();
    this.watchThread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "volumekit-etcd-watch " + b.prefix);
      t.setDaemon(true);
      return t;
    });
  }

  /** A builder for a store over etcd at the endpoints (e.g. {@code http://127.0.0.1:2379}). */
  public static Builder connect(String... endpoints) {
    if (endpoints.length == 0) {
      throw new IllegalArgumentException("at least one etcd endpoint is required");
    }
    return new Builder(List.of(endpoints));
  }

  /**
   * How to open an {@link EtcdStore}. It is also the function {@code VolumeKit.Builder.store}
   * takes: {@code VolumeKit.builder().store(EtcdStore.connect("http://127.0.0.1:2379")
   * .operationFormat(f))}.
   */
  public static final class Builder implements Function<Clock, Store> {
    private final List<String> endpoints;
    private String prefix = "/volumekit/default";
    private Ids ids = Ids.random();
    private List<? extends Admission> admission = Admissions.defaults();
    private OperationFormat operationFormat;
    private Duration timeout = Duration.ofSeconds(10);
    private long listPage = LIST_PAGE;
    private Set<String> nodes = Set.of();

    private Builder(List<String> endpoints) {
      this.endpoints = List.copyOf(endpoints);
    }

    /** The key prefix of the cluster (default {@code /volumekit/default}); one etcd holds many. */
    public Builder prefix(String prefix) {
      new EtcdKeys(prefix); // validates
      this.prefix = prefix;
      return this;
    }

    /** Where uids and generated names come from (default random). */
    public Builder ids(Ids ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /** The admission hooks (default {@code Admissions.defaults()}). */
    public Builder admission(List<? extends Admission> admission) {
      this.admission = List.copyOf(admission);
      return this;
    }

    /** How operations are stored (required: without it another process could not resume them). */
    public Builder operationFormat(OperationFormat format) {
      this.operationFormat = Objects.requireNonNull(format, "format");
      return this;
    }

    /** How long one etcd request may take before the write fails as unavailable (default 10 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * A node agent's store: it lists and watches only the pods bound to {@code nodes} (and every
     * object that is not a pod), as the kubelet watches pods with the field selector {@code
     * spec.nodeName=<node>}. Other pods are not in its snapshot; it cannot update them. See
     * docs/multi-process.md, "What a node agent watches".
     */
    public Builder podsOfNodes(String... nodes) {
      Set<String> set = ImmutableSet.copyOf(nodes);
      EtcdView.podsOf(new EtcdKeys(prefix), set); // validates
      this.nodes = set;
      return this;
    }

    /** Test hook: how many keys one page of a list reads (default {@value EtcdStore#LIST_PAGE}). */
    Builder listPage(long keys) {
      if (keys <= 0) {
        throw new IllegalArgumentException("a page holds at least one key: " + keys);
      }
      this.listPage = keys;
      return this;
    }

    /** Opens the store with the system clock. */
    public EtcdStore open() {
      return open(Clock.systemUTC());
    }

    /** Connects, lists the cluster's keys and starts watching; timestamps from {@code clock}. */
    public EtcdStore open(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      if (operationFormat == null) {
        throw new IllegalStateException("EtcdStore needs an operationFormat: the engine's operations are"
            + " stored in etcd so that another process can resume them");
      }
      // No limit on a response's size (as the API server's etcd client): a watch response may
      // carry many events; listing is paged anyway.
      Client client = Client.builder().endpoints(endpoints.toArray(String[]::new))
          .maxInboundMessageSize(Integer.MAX_VALUE).build();
      EtcdStore store = new EtcdStore(this, clock, client, true);
      try {
        store.start();
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
      return store;
    }

    @Override
    public Store apply(Clock clock) {
      return open(clock);
    }
  }

  // ------------------------------------------------------------------ reading

  @Override
  public synchronized ClusterState state() {
    applyInbox();
    return state;
  }

  @Override
  public synchronized Optional<ApiObject> get(ObjectKey key) {
    applyInbox();
    return state.get(key);
  }

  @Override
  public synchronized List<Change> drainChanges() {
    applyInbox();
    if (changes.isEmpty()) {
      return List.of();
    }
    List<Change> out = List.copyOf(changes);
    changes.clear();
    return out;
  }

  /**
   * Calls {@code listener} (on the watch thread, without holding the store's monitor) after
   * changes from another process were applied to the snapshot, at least once per batch of them
   * (several changes may give one call): the runtime then drains and dispatches them.
   */
  public void onRemoteChange(Runnable listener) {
    remoteChangeListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The prefix of this cluster's keys. */
  public String prefix() {
    return keys.root().substring(0, keys.root().length() - 1);
  }

  /** The jetcd client (shared with leader election). */
  Client client() {
    return client;
  }

  EtcdKeys keys() {
    return keys;
  }

  /** Fences every later write on {@code fence} (empty: unfenced). */
  synchronized void fence(Optional<Fence> fence) {
    this.fence = Objects.requireNonNull(fence, "fence");
  }

  /**
   * Waits until the snapshot includes every change etcd had committed when this was called (a
   * linearizable read of the current revision, then the watch catching up to it).
   *
   * <p>When no event of the watched keys reaches that revision (other clusters, other keys of the
   * etcd, or for a node agent its unwatched keys were written last; with several ranges, every
   * range's watch must reach it), the watches' progress notifications say how far they got. That answer
   * is confirmed by a read of the watched keys (keys and revisions only) at the revision before
   * it is trusted, because etcd before 3.4.24 and 3.5.8 may send it while a new watch has not
   * delivered its backlog yet.
   */
  public void awaitCurrent(Duration max) throws InterruptedException, TimeoutException {
    long revision = await(client.getKVClient().get(bytes(keys.root()),
        GetOption.builder().isPrefix(true).withCountOnly(true).build()), null, "get").getHeader().getRevision();
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      boolean claimed;
      synchronized (this) {
        applyInbox();
        if (closed || Math.max(watchedRevision, confirmedRevision) >= revision) {
          return;
        }
        claimed = progressRevision >= revision;
        if (!claimed) {
          client.getWatchClient().requestProgress();
        }
      }
      if (claimed && snapshotMatchesEtcdAt(revision)) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("the watch did not reach revision " + revision + " (at " + watchedRevision + ")");
      }
      synchronized (this) {
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
      }
    }
  }

  /**
   * Reads the watched keys (without values) at {@code revision} and compares their
   * modification revisions with the snapshot's; when they are equal, the snapshot holds etcd's
   * state at that revision, and it is recorded as confirmed.
   */
  private boolean snapshotMatchesEtcdAt(long revision) {
    List<KeyValue> read;
    try {
      read = list(revision, true).kvs();
    } catch (StoreUnavailableException e) {
      LOG.debug("etcd store {}: confirming revision {} failed; waiting for the watch", keys.root(), revision, e);
      return false;
    }
    synchronized (this) {
      applyInbox();
      int stored = 0;
      for (KeyValue kv : read) {
        String k = string(kv.getKey());
        if (view.object(k).isEmpty() && keys.parseOperation(k).isEmpty()) {
          continue; // the leader key and other bookkeeping
        }
        stored++;
        if (revisions.getOrDefault(k, 0L) != kv.getModRevision()) {
          return false;
        }
      }
      if (stored != revisions.size()) {
        return false;
      }
      confirmedRevision = Math.max(confirmedRevision, revision);
      return true;
    }
  }

  // ------------------------------------------------------------------ writing

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  @Override
  public ApiObject create(ApiObject object) {
    ApiObject prepared;
    Optional<Fence> f;
    synchronized (this) {
      applyInbox();
      prepared = WritePlan.create(object, state, now(), ids, admission).object();
      f = fence;
    }
    ObjectKey key = ObjectKey.of(prepared);
    String k = keys.object(prepared);
    TxnResponse r = put(f, key, new Cmp(bytes(k), Cmp.Op.EQUAL, CmpTarget.version(0)), k, Optional.empty(), prepared);
    synchronized (this) {
      if (!r.isSucceeded()) {
        observe(k, r);
        throw new AlreadyExistsException(key);
      }
      long rev = r.getHeader().getRevision();
      ApiObject stored = withVersion(prepared, rev);
      commit(key, Optional.of(stored), rev);
      return stored;
    }
  }

  @Override
  public ApiObject update(ApiObject object) {
    Objects.requireNonNull(object, "object");
    ObjectKey key = ObjectKey.of(object);
    for (int attempt = 0; ; attempt++) {
      Planned p;
      synchronized (this) {
        applyInbox();
        ApiObject old = state.get(key).orElseThrow(() -> new NotFoundException(key));
        p = new Planned(old, WritePlan.update(object, old, state, now(), admission), fence);
      }
      Optional<ApiObject> out = commitPlan(key, p);
      if (out.isPresent()) {
        return out.get();
      }
      retryOrConflict(key, object.metadata().resourceVersion().isPresent(), attempt);
    }
  }

  @Override
  public Optional<ApiObject> delete(ObjectKey key, Optional<String> uid) {
    for (int attempt = 0; ; attempt++) {
      Planned p;
      synchronized (this) {
        applyInbox();
        ApiObject old = state.get(key).orElseThrow(() -> new NotFoundException(key));
        p = new Planned(old, WritePlan.delete(old, uid, now()), fence);
      }
      Optional<ApiObject> out = commitPlan(key, p);
      if (out.isPresent()) {
        return p.plan().action() == WritePlan.Action.REMOVE ? Optional.empty() : out;
      }
      retryOrConflict(key, false, attempt);
    }
  }

  /** A write decided under the monitor against the snapshot, to be sent to etcd without it. */
  private record Planned(ApiObject old, WritePlan plan, Optional<Fence> fence) {}

  /** After a failed compare: NotFound if the key went away, Conflict for a stale precondition. */
  private synchronized void retryOrConflict(ObjectKey key, boolean hadPrecondition, int attempt) {
    if (state.get(key).isEmpty()) {
      throw new NotFoundException(key);
    }
    if (hadPrecondition || attempt + 1 >= UNCONDITIONAL_RETRIES) {
      throw ConflictException.modified(key);
    }
  }

  /**
   * Commits the plan against its old object's revision (without holding the monitor while etcd
   * answers). Empty when the compare failed (the fresh value of the key is in the snapshot then).
   */
  private Optional<ApiObject> commitPlan(ObjectKey key, Planned p) {
    WritePlan plan = p.plan();
    ApiObject old = p.old();
    if (plan.action() == WritePlan.Action.NONE) {
      return Optional.of(old);
    }
    String k = keys.object(old);
    long oldRev = Long.parseLong(old.metadata().resourceVersion().orElseThrow());
    Cmp same = new Cmp(bytes(k), Cmp.Op.EQUAL, CmpTarget.modRevision(oldRev));
    boolean remove = plan.action() == WritePlan.Action.REMOVE;
    TxnResponse r = remove
        ? txn(p.fence(), key, same, withPodCopies(Op.delete(bytes(k), DeleteOption.DEFAULT), Optional.of(old),
            Optional.empty(), ByteSequence.EMPTY), k)
        : put(p.fence(), key, same, k, Optional.of(old), plan.object());
    synchronized (this) {
      if (!r.isSucceeded()) {
        observe(k, r);
        return Optional.empty();
      }
      long rev = r.getHeader().getRevision();
      if (remove) {
        commit(key, Optional.empty(), rev);
        return Optional.of(plan.object());
      }
      ApiObject stored = withVersion(plan.object(), rev);
      commit(key, Optional.of(stored), rev);
      return Optional.of(stored);
    }
  }

  @Override
  public void recordOperation(Operation operation) {
    Optional<Fence> f;
    synchronized (this) {
      applyInbox();
      f = fence;
    }
    String k = keys.operation(operation.effect().id());
    TxnResponse r = txn(f, operation.effect().owner(), null,
        List.of(Op.put(bytes(k), ByteSequence.from(operationFormat.encode(operation)), PutOption.DEFAULT)), k);
    long rev = r.getHeader().getRevision();
    synchronized (this) {
      if (!seen(k, rev)) {
        state = state.withOperation(operation);
        revisions.put(k, rev);
        tombstones.remove(k);
      }
      state = state.withResourceVersion(Math.max(state.resourceVersion(), rev));
    }
  }

  @Override
  public void forgetOperation(EffectId id) {
    ObjectKey owner;
    Optional<Fence> f;
    synchronized (this) {
      applyInbox();
      owner = state.operation(id).map(o -> o.effect().owner()).orElse(new ObjectKey("Operation", "", id.value()));
      f = fence;
    }
    String k = keys.operation(id);
    TxnResponse r = txn(f, owner, null, List.of(Op.delete(bytes(k), DeleteOption.DEFAULT)), k);
    long rev = r.getHeader().getRevision();
    synchronized (this) {
      if (!seen(k, rev)) {
        state = state.withoutOperation(id);
        revisions.remove(k);
        tombstones.put(k, rev);
      }
      state = state.withResourceVersion(Math.max(state.resourceVersion(), rev));
    }
  }

  /** The write of an object and of its {@link PodsByNode} copies, in one transaction. */
  private List<Op> withPodCopies(Op write, Optional<ApiObject> before, Optional<ApiObject> after, ByteSequence value) {
    List<Op> ops = new ArrayList<>();
    ops.add(write);
    ops.addAll(view.pods().writes(before, after, value));
    return ops;
  }

  /**
   * {@link #txn} putting {@code object} (and its pod copies) at {@code k}. While etcd answers, the
   * value is known as this process's: when the watch brings its event before the writer comes
   * back, the event is not decoded again.
   */
  private TxnResponse put(Optional<Fence> f, ObjectKey key, Cmp compare, String k, Optional<ApiObject> before,
      ApiObject object) {
    Writing w = new Writing(encode(object), object);
    synchronized (this) {
      writing.put(k, w);
      inFlight++;
      notifyAll();
    }
    try {
      return txn(f, key, compare,
          withPodCopies(Op.put(bytes(k), w.value(), PutOption.DEFAULT), before, Optional.of(object), w.value()), k);
    } finally {
      synchronized (this) {
        writing.remove(k, w);
        inFlight--;
      }
    }
  }

  /** A value this process is putting, and the object it encodes (without resourceVersion). */
  private record Writing(ByteSequence value, ApiObject object) {}

  /**
   * One transaction, sent without holding the monitor: if {@code compare} (when given) and the
   * fence {@code f} (when set) hold, {@code then}; else read the key and the leader key. A
   * refused fence is a {@link FencedException}.
   */
  private TxnResponse txn(Optional<Fence> f, ObjectKey key, Cmp compare, List<Op> then, String k) {
    checkOpen();
    List<Cmp> cmps = new ArrayList<>();
    if (compare != null) {
      cmps.add(compare);
    }
    f.ifPresent(x -> cmps.add(new Cmp(bytes(x.key()), Cmp.Op.EQUAL, CmpTarget.createRevision(x.createRevision()))));
    List<Op> otherwise = new ArrayList<>();
    otherwise.add(Op.get(bytes(k), GetOption.DEFAULT));
    f.ifPresent(x -> otherwise.add(Op.get(bytes(x.key()), GetOption.DEFAULT)));
    TxnResponse r = await(client.getKVClient().txn().If(cmps.toArray(Cmp[]::new)).Then(then.toArray(Op[]::new))
        .Else(otherwise.toArray(Op[]::new)).commit(), key, "txn");
    if (!r.isSucceeded() && f.isPresent()) {
      List<KeyValue> leader = r.getGetResponses().get(1).getKvs();
      if (leader.isEmpty() || leader.get(0).getCreateRevision() != f.get().createRevision()) {
        throw new FencedException(key, f.get().key());
      }
    }
    return r;
  }

  /** Puts the fresh value of {@code k} that a failed transaction read into the snapshot. */
  private void observe(String k, TxnResponse r) {
    GetResponse g = r.getGetResponses().get(0);
    long rev = r.getHeader().getRevision();
    // The key read is the object key; a node agent keeps a pod under its copy's key instead.
    Optional<String> kept = keys.parseObject(k).flatMap(state::get).flatMap(view::snapshotKey);
    if (g.getKvs().isEmpty()) {
      applyDelete(kept.orElse(k), rev);
      return;
    }
    KeyValue kv = g.getKvs().get(0);
    ApiObject fresh = decode(k, kv);
    Optional<String> now = view.snapshotKey(fresh);
    if (kept.isPresent() && !kept.equals(now)) {
      applyDelete(kept.get(), kv.getModRevision());
    }
    now.ifPresent(sk -> applyObject(sk, keys.parseObject(k).orElseThrow(), fresh, kv.getModRevision()));
  }

  /**
   * Records this process's write in the snapshot, under the key the view keeps the object at; a
   * node agent's write of a pod it does not watch (another node's) leaves the snapshot without it.
   * The monitor is not held while etcd answers, so the watch may have brought the write (or a later
   * one) first: then the snapshot has it already. Holds the monitor.
   */
  private void commit(ObjectKey key, Optional<ApiObject> after, long rev) {
    Optional<ApiObject> before = state.get(key);
    Optional<String> was = before.flatMap(view::snapshotKey);
    Optional<String> now = after.flatMap(view::snapshotKey);
    Optional<String> kept = now.or(() -> was);
    state = state.withResourceVersion(Math.max(state.resourceVersion(), rev));
    if (kept.isPresent() && seen(kept.get(), rev)) {
      return;
    }
    Optional<ApiObject> seen = now.isPresent() ? after : Optional.empty();
    state = seen.isPresent() ? state.put(seen.get()) : state.remove(key);
    now.ifPresent(k -> {
      revisions.put(k, rev);
      tombstones.remove(k);
    });
    if (was.isPresent() && !was.equals(now)) {
      revisions.remove(was.get());
      tombstones.put(was.get(), rev);
    }
    if (before.isPresent() || seen.isPresent()) {
      changes.add(new Change(key, before, seen));
    }
  }

  // ------------------------------------------------------------------ the watch

  private void start() {
    relist();
  }

  /** The keys (and values, unless {@code keysOnly}) of every watched range, at one revision. */
  private record Listing(long revision, List<KeyValue> kvs) {}

  /**
   * Lists the view's ranges at {@code revision} (0: the current one), in pages of {@code
   * listPage} keys (as the API server's cacher lists etcd). The first read fixes the revision and
   * the others read at it, so the listing is one consistent state of etcd. Called without the
   * monitor.
   */
  private Listing list(long revision, boolean keysOnly) {
    List<KeyValue> kvs = new ArrayList<>();
    long at = revision;
    for (EtcdView.KeyRange range : view.ranges()) {
      ByteSequence from = bytes(range.start());
      while (true) {
        GetOption.Builder option = GetOption.builder().withRange(bytes(range.end())).withKeysOnly(keysOnly)
            .withLimit(listPage);
        if (at > 0) {
          option.withRevision(at);
        }
        GetResponse r = await(client.getKVClient().get(from, option.build()), null, "list");
        if (at == 0) {
          at = r.getHeader().getRevision();
        }
        kvs.addAll(r.getKvs());
        if (!r.isMore() || r.getKvs().isEmpty()) {
          break;
        }
        from = r.getKvs().get(r.getKvs().size() - 1).getKey().concat(ByteSequence.from(new byte[] {0}));
      }
    }
    return new Listing(at, kvs);
  }

  /**
   * Lists every watched key of the cluster at the current revision, reports the difference to
   * the snapshot as changes, and watches from the next revision. etcd is read without holding
   * the monitor: writes made meanwhile carry later revisions, and every key keeps its newest.
   */
  private void relist() {
    synchronized (this) {
      checkOpen();
      closeWatchers();
    }
    Listing list = list(0, false);
    synchronized (this) {
      checkOpen();
      applyListing(list);
    }
  }

  /** Puts a listing into the snapshot and watches from its next revision. Holds the monitor. */
  private void applyListing(Listing list) {
    relistPending = false;
    long rev = list.revision();
    Map<String, KeyValue> now = new HashMap<>();
    for (KeyValue kv : list.kvs()) {
      now.put(string(kv.getKey()), kv);
    }
    for (String k : List.copyOf(revisions.keySet())) {
      if (!now.containsKey(k)) {
        applyDelete(k, rev);
      }
    }
    for (KeyValue kv : now.values()) {
      applyPut(kv);
    }
    tombstones.values().removeIf(t -> t <= rev);
    for (int i = 0; i < reached.length; i++) {
      reached[i] = Math.max(reached[i], rev);
    }
    watchedRevision = Math.max(watchedRevision, rev);
    state = state.withResourceVersion(Math.max(state.resourceVersion(), rev));
    if (watching && watchers.isEmpty()) {
      watchFrom(rev + 1);
    }
  }

  /** Watches each range of the view from {@code revision} (a new generation of watches). */
  private void watchFrom(long revision) {
    generation++;
    int g = generation;
    List<EtcdView.KeyRange> ranges = view.ranges();
    for (int i = 0; i < ranges.size(); i++) {
      int range = i;
      watchers.add(client.getWatchClient().watch(bytes(ranges.get(i).start()),
          WatchOption.builder().withRange(bytes(ranges.get(i).end())).withRevision(revision)
              .withProgressNotify(true).build(),
          Watch.listener(r -> received(new Received(g, range, r)), t -> failed(g, t))));
    }
  }

  private void closeWatchers() {
    watchers.forEach(Watch.Watcher::close);
    watchers.clear();
  }

  /** A watch response and the watch it came from: the generation and the index of its range. */
  private record Received(int generation, int range, WatchResponse response) {}

  /** jetcd's callback, on its event loop: queues the response for the watch thread, never blocks. */
  private void received(Received response) {
    inbox.add(response);
    try {
      watchThread.execute(this::applyReceived);
    } catch (RejectedExecutionException closing) {
      // closed meanwhile
    }
  }

  private void applyReceived() {
    boolean remote;
    synchronized (this) {
      applyInbox();
      // Another thread (the runtime reading the state) may have applied the events already:
      // the listeners hear of every remote change all the same, once per batch.
      remote = remoteApplied > remoteNotified;
      remoteNotified = remoteApplied;
      notifyAll();
    }
    if (remote) {
      remoteChangeListeners.forEach(Runnable::run);
    }
  }

  /** jetcd's callback, on its event loop: hands the failure to the watch thread, never blocks. */
  private void failed(int g, Throwable t) {
    if (closed) {
      return;
    }
    try {
      watchThread.execute(() -> relistAfter(g, t));
    } catch (RejectedExecutionException closing) {
      // closed meanwhile
    }
  }

  /** On the watch thread: lists again after a watch of the current generation failed. */
  private void relistAfter(int g, Throwable t) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (g != generation || relistPending) {
        LOG.debug("etcd watch of {} ended ({}); listing again already", keys.root(), t.toString());
        return;
      }
      relistPending = true;
    }
    if (t instanceof CompactedException c) {
      LOG.warn("etcd watch of {}: revision compacted (at {}), listing again", keys.root(), c.getCompactedRevision());
    } else {
      LOG.warn("etcd watch of {} failed, listing again", keys.root(), t);
    }
    relistAndNotify();
  }

  /** Lists again after the watch failed; while etcd does not answer, tries again every second. */
  private void relistAndNotify() {
    try {
      if (closed) {
        return;
      }
      relist();
      boolean remote;
      synchronized (this) {
        remote = remoteApplied > remoteNotified;
        remoteNotified = remoteApplied;
      }
      if (remote) {
        remoteChangeListeners.forEach(Runnable::run);
      }
    } catch (RuntimeException e) {
      LOG.warn("etcd store {}: listing again failed; trying again in {}", keys.root(), RELIST_RETRY, e);
      synchronized (this) {
        relistFailures++;
        notifyAll();
      }
      try {
        watchThread.schedule(this::relistAndNotify, RELIST_RETRY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        // closed meanwhile
      }
    }
  }

  /** Test hook: waits until listing again after a watch failure has failed {@code n} times in all. */
  synchronized boolean awaitRelistFailures(int n, Duration max) throws InterruptedException {
    return awaitUntil(this, () -> relistFailures >= n, max);
  }

  /** Test hook: waits until {@code n} puts are waiting for etcd's answer at once. */
  synchronized boolean awaitPutsInFlight(int n, Duration max) throws InterruptedException {
    return awaitUntil(this, () -> inFlight >= n, max);
  }

  /**
   * Waits on {@code monitor} (held by the caller, notified when {@code done} may have become
   * true) until {@code done}; false if {@code max} passed first.
   */
  static boolean awaitUntil(Object monitor, BooleanSupplier done, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(monitor, left);
    }
    return true;
  }

  /** Applies the watch responses received so far. Holds the monitor. */
  private void applyInbox() {
    Received got;
    while ((got = inbox.poll()) != null) {
      WatchResponse r = got.response();
      // A response of an earlier generation's watch is applied (its events are real), but only the
      // current watches say how far the snapshot is complete.
      boolean current = got.generation() == generation;
      for (WatchEvent e : r.getEvents()) {
        KeyValue kv = e.getKeyValue();
        if (kv.getModRevision() <= confirmedRevision) {
          // The snapshot was confirmed equal to etcd at a later revision: a backlog event.
        } else if (e.getEventType() == WatchEvent.EventType.PUT) {
          applyPut(kv);
        } else if (e.getEventType() == WatchEvent.EventType.DELETE) {
          applyDelete(string(kv.getKey()), kv.getModRevision());
        }
        if (current) {
          reached[got.range()] = Math.max(reached[got.range()], kv.getModRevision());
        }
      }
      if (r.isProgressNotify() && current) {
        progressed[got.range()] = Math.max(progressed[got.range()], r.getHeader().getRevision());
      }
      watchedRevision = Math.max(watchedRevision, java.util.Arrays.stream(reached).min().orElseThrow());
      progressRevision = Math.max(progressRevision, java.util.Arrays.stream(progressed).min().orElseThrow());
      // A tombstone is dropped once the watch of its key's range has passed it.
      tombstones.entrySet().removeIf(t -> {
        int range = view.rangeOf(t.getKey());
        long passed = Math.max(confirmedRevision, range < 0 ? watchedRevision : reached[range]);
        return t.getValue() <= passed;
      });
    }
  }

  /**
   * Whether the snapshot already holds the key at {@code rev} or later: the key was put or removed
   * at that revision or after, or every watch (or a list) has passed it. Holds the monitor.
   */
  private boolean seen(String k, long rev) {
    return rev <= Math.max(lastRevision(k), Math.max(watchedRevision, confirmedRevision));
  }

  private long lastRevision(String k) {
    Long r = revisions.get(k);
    if (r != null) {
      return r;
    }
    return tombstones.getOrDefault(k, 0L);
  }

  private void applyPut(KeyValue kv) {
    String k = string(kv.getKey());
    long rev = kv.getModRevision();
    if (rev <= lastRevision(k)) {
      return; // this process's own write, or already listed
    }
    Optional<ObjectKey> key = view.object(k);
    Optional<EffectId> op = keys.parseOperation(k);
    if (key.isPresent()) {
      Writing w = writing.get(k);
      applyObject(k, key.get(), w != null && w.value().equals(kv.getValue()) ? withVersion(w.object(), rev) : decode(k, kv),
          rev);
      return;
    } else if (op.isPresent()) {
      state = state.withOperation(operationFormat.decode(kv.getValue().getBytes()));
    } else {
      return; // the leader key and other bookkeeping
    }
    revisions.put(k, rev);
    tombstones.remove(k);
    state = state.withResourceVersion(Math.max(state.resourceVersion(), rev));
  }

  /** Puts {@code after}, read from etcd at {@code rev}, into the snapshot under the key {@code k}. */
  private void applyObject(String k, ObjectKey key, ApiObject after, long rev) {
    if (rev <= lastRevision(k)) {
      return;
    }
    Optional<ApiObject> before = state.get(key);
    state = state.put(after).withResourceVersion(Math.max(state.resourceVersion(), rev));
    changes.add(new Change(key, before, Optional.of(after)));
    remoteApplied++;
    revisions.put(k, rev);
    tombstones.remove(k);
  }

  private void applyDelete(String k, long rev) {
    if (rev <= lastRevision(k)) {
      return;
    }
    Optional<ObjectKey> key = view.object(k);
    Optional<EffectId> op = keys.parseOperation(k);
    if (key.isPresent()) {
      Optional<ApiObject> before = state.get(key.get());
      // A node agent keeps a pod under its node's copy: the copy of another of its nodes going
      // away (a pod moved between them) does not remove it.
      boolean keptHere = before.isPresent()
          && (!view.scoped() || view.snapshotKey(before.get()).equals(Optional.of(k)));
      if (keptHere) {
        state = state.remove(key.get());
        changes.add(new Change(key.get(), before, Optional.empty()));
        remoteApplied++;
      }
    } else if (op.isPresent()) {
      state = state.withoutOperation(op.get());
    } else {
      return;
    }
    revisions.remove(k);
    tombstones.put(k, rev);
    state = state.withResourceVersion(Math.max(state.resourceVersion(), rev));
  }

  // ------------------------------------------------------------------ encoding

  private ByteSequence encode(ApiObject object) {
    ApiObject unversioned = object.withMetadata(object.metadata().withResourceVersion(Optional.empty()));
    return ByteSequence.from(codec.encodeJsonCompact(unversioned), StandardCharsets.UTF_8);
  }

  private ApiObject decode(String k, KeyValue kv) {
    try {
      return withVersion(codec.decode(kv.getValue().toString(StandardCharsets.UTF_8)).single(), kv.getModRevision());
    } catch (RuntimeException e) {
      throw new IllegalStateException("etcd key " + k + " does not hold an API object", e);
    }
  }

  private static ApiObject withVersion(ApiObject object, long revision) {
    return object.withMetadata(object.metadata().withResourceVersion(Optional.of(Long.toString(revision))));
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static String string(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  private <T> T await(CompletableFuture<T> future, ObjectKey key, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new StoreUnavailableException(orCluster(key), "etcd " + what + " interrupted", e);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new StoreUnavailableException(orCluster(key), "etcd " + what + " timed out", e);
    } catch (ExecutionException e) {
      throw new StoreUnavailableException(orCluster(key), "etcd " + what + " failed", e.getCause());
    }
  }

  private ObjectKey orCluster(ObjectKey key) {
    return key != null ? key : new ObjectKey("Cluster", "", prefix());
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the etcd store " + prefix() + " is closed");
    }
  }

  /**
   * A new leader's first act: every operation still in flight was started by a process that is
   * gone (its lease expired, so it can no longer record an outcome). Each becomes a failure with
   * an uncertain outcome (UNAVAILABLE), so the controllers issue the idempotent call once more to
   * learn what the driver did, instead of waiting forever or assuming it never happened.
   *
   * @return how many operations were taken over
   */
  public synchronized int takeOverOperations() {
    applyInbox();
    int n = 0;
    for (Operation op : List.copyOf(state.operations())) {
      if (op.inFlight()) {
        recordOperation(op.failed(new io.volumekit.core.effect.EffectFailure(io.volumekit.core.csi.CsiCode.UNAVAILABLE,
            "the control plane that started this call stopped before its outcome arrived"), now()));
        n++;
      }
    }
    return n;
  }

  /** Test hook: stops applying the watch (the snapshot goes stale until a write's compare fails). */
  synchronized void suspendWatch() {
    watching = false;
    closeWatchers();
    inbox.clear();
  }

  /** Test hook: watches again from the revision after the last one applied (after {@link #suspendWatch()}). */
  synchronized void resumeWatch() {
    watching = true;
    watchFrom(watchedRevision + 1);
  }

  /** Stops the watch and, if this store opened it, closes the etcd client. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      closeWatchers();
      notifyAll();
    }
    watchThread.shutdownNow();
    if (ownsClient) {
      client.close();
    }
  }

  /** The condition fencing every write: the leader key still has the creation revision this process won it with. */
  interface Fence {
    /** The leader key. */
    String key();

    /** Its creation revision when this process was elected. */
    long createRevision();
  }
}
