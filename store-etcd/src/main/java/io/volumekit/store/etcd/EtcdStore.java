package io.volumekit.store.etcd;

import com.google.common.collect.ImmutableList;
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
import io.etcd.jetcd.options.OptionsUtil;
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
  private final ConcurrentLinkedQueue<WatchResponse> inbox = new ConcurrentLinkedQueue<>();
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
  private Watch.Watcher watcher;
  private Optional<Fence> fence = Optional.empty();
  private boolean watching = true;
  /** Read without the monitor by the watch's callbacks, which must never block jetcd's event loop. */
  private volatile boolean closed;

  private EtcdStore(Builder b, Clock clock, Client client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.keys = new EtcdKeys(b.prefix);
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
   * <p>When no event of this cluster's keys reaches that revision (other clusters or other keys
   * of the etcd wrote last), the watch's progress notification says how far it got. That answer
   * is confirmed by a read of the cluster's keys (keys and revisions only) at the revision before
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
   * Reads the cluster's keys (without values) at {@code revision} and compares their
   * modification revisions with the snapshot's; when they are equal, the snapshot holds etcd's
   * state at that revision, and it is recorded as confirmed.
   */
  private boolean snapshotMatchesEtcdAt(long revision) {
    GetResponse read;
    try {
      read = await(client.getKVClient().get(bytes(keys.root()),
          GetOption.builder().isPrefix(true).withKeysOnly(true).withRevision(revision).build()), null, "get");
    } catch (StoreUnavailableException e) {
      LOG.debug("etcd store {}: confirming revision {} failed; waiting for the watch", keys.root(), revision, e);
      return false;
    }
    synchronized (this) {
      applyInbox();
      int stored = 0;
      for (KeyValue kv : read.getKvs()) {
        String k = string(kv.getKey());
        if (keys.parseObject(k).isEmpty() && keys.parseOperation(k).isEmpty()) {
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
    TxnResponse r = put(f, key, new Cmp(bytes(k), Cmp.Op.EQUAL, CmpTarget.version(0)), k, prepared);
    synchronized (this) {
      if (!r.isSucceeded()) {
        observe(k, r);
        throw new AlreadyExistsException(key);
      }
      long rev = r.getHeader().getRevision();
      ApiObject stored = withVersion(prepared, rev);
      commit(k, key, Optional.of(stored), rev);
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
    if (plan.action() == WritePlan.Action.NONE) {
      return Optional.of(p.old());
    }
    String k = keys.object(p.old());
    long oldRev = Long.parseLong(p.old().metadata().resourceVersion().orElseThrow());
    Cmp same = new Cmp(bytes(k), Cmp.Op.EQUAL, CmpTarget.modRevision(oldRev));
    TxnResponse r = plan.action() == WritePlan.Action.REMOVE
        ? txn(p.fence(), key, same, Op.delete(bytes(k), DeleteOption.DEFAULT), k)
        : put(p.fence(), key, same, k, plan.object());
    synchronized (this) {
      if (!r.isSucceeded()) {
        observe(k, r);
        return Optional.empty();
      }
      long rev = r.getHeader().getRevision();
      if (plan.action() == WritePlan.Action.REMOVE) {
        commit(k, key, Optional.empty(), rev);
        return Optional.of(plan.object());
      }
      ApiObject stored = withVersion(plan.object(), rev);
      commit(k, key, Optional.of(stored), rev);
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
        Op.put(bytes(k), ByteSequence.from(operationFormat.encode(operation)), PutOption.DEFAULT), k);
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
    TxnResponse r = txn(f, owner, null, Op.delete(bytes(k), DeleteOption.DEFAULT), k);
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

  /**
   * {@link #txn} putting {@code object} at {@code k}. While etcd answers, the value is known as
   * this process's: when the watch brings its event before the writer comes back, the event is
   * not decoded again.
   */
  private TxnResponse put(Optional<Fence> f, ObjectKey key, Cmp compare, String k, ApiObject object) {
    Writing w = new Writing(encode(object), object);
    synchronized (this) {
      writing.put(k, w);
      inFlight++;
      notifyAll();
    }
    try {
      return txn(f, key, compare, Op.put(bytes(k), w.value(), PutOption.DEFAULT), k);
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
  private TxnResponse txn(Optional<Fence> f, ObjectKey key, Cmp compare, Op then, String k) {
    checkOpen();
    List<Cmp> cmps = new ArrayList<>();
    if (compare != null) {
      cmps.add(compare);
    }
    f.ifPresent(x -> cmps.add(new Cmp(bytes(x.key()), Cmp.Op.EQUAL, CmpTarget.createRevision(x.createRevision()))));
    List<Op> otherwise = new ArrayList<>();
    otherwise.add(Op.get(bytes(k), GetOption.DEFAULT));
    f.ifPresent(x -> otherwise.add(Op.get(bytes(x.key()), GetOption.DEFAULT)));
    TxnResponse r = await(client.getKVClient().txn().If(cmps.toArray(Cmp[]::new)).Then(then)
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
    if (g.getKvs().isEmpty()) {
      applyDelete(k, rev);
    } else {
      applyPut(g.getKvs().get(0));
    }
  }

  /**
   * Puts this process's committed write into the snapshot, unless the watch brought it (or a
   * later write of the key) first: the monitor is not held while etcd answers, so the watch may
   * apply the write's event before the writer comes back. Holds the monitor.
   */
  private void commit(String k, ObjectKey key, Optional<ApiObject> after, long rev) {
    state = state.withResourceVersion(Math.max(state.resourceVersion(), rev));
    if (seen(k, rev)) {
      return;
    }
    Optional<ApiObject> before = state.get(key);
    state = after.isPresent() ? state.put(after.get()) : state.remove(key);
    if (after.isPresent()) {
      revisions.put(k, rev);
      tombstones.remove(k);
    } else {
      revisions.remove(k);
      tombstones.put(k, rev);
    }
    changes.add(new Change(key, before, after));
  }

  // ------------------------------------------------------------------ the watch

  private void start() {
    relist();
  }

  /**
   * Lists every key of the cluster at one revision (in pages of {@value #LIST_PAGE} keys, as the
   * API server's cacher lists etcd), reports the difference to the snapshot as changes, and
   * watches from the next revision. etcd is read without holding the monitor: writes made
   * meanwhile carry later revisions, and every key keeps its newest revision.
   */
  private void relist() {
    Watch.Watcher old;
    synchronized (this) {
      checkOpen();
      old = watcher;
      watcher = null;
    }
    if (old != null) {
      old.close();
    }
    ByteSequence end = OptionsUtil.prefixEndOf(bytes(keys.root()));
    GetResponse page = await(client.getKVClient().get(bytes(keys.root()),
        GetOption.builder().withRange(end).withLimit(listPage).build()), null, "list");
    long rev = page.getHeader().getRevision();
    Map<String, KeyValue> now = new HashMap<>();
    while (true) {
      for (KeyValue kv : page.getKvs()) {
        now.put(string(kv.getKey()), kv);
      }
      if (!page.isMore() || page.getKvs().isEmpty()) {
        break;
      }
      ByteSequence next = page.getKvs().get(page.getKvs().size() - 1).getKey().concat(ByteSequence.from(new byte[] {0}));
      page = await(client.getKVClient().get(next,
          GetOption.builder().withRange(end).withLimit(listPage).withRevision(rev).build()), null, "list");
    }
    synchronized (this) {
      checkOpen();
      for (String k : List.copyOf(revisions.keySet())) {
        if (!now.containsKey(k)) {
          applyDelete(k, rev);
        }
      }
      for (KeyValue kv : now.values()) {
        applyPut(kv);
      }
      tombstones.values().removeIf(t -> t <= rev);
      watchedRevision = Math.max(watchedRevision, rev);
      state = state.withResourceVersion(Math.max(state.resourceVersion(), rev));
      if (watching && watcher == null) {
        watchFrom(rev + 1);
      }
    }
  }

  private void watchFrom(long revision) {
    watcher = client.getWatchClient().watch(bytes(keys.root()),
        WatchOption.builder().isPrefix(true).withRevision(revision).withProgressNotify(true).build(),
        Watch.listener(this::received, this::failed));
  }

  /** jetcd's callback, on its event loop: queues the response for the watch thread, never blocks. */
  private void received(WatchResponse response) {
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

  /** jetcd's callback, on its event loop: logs and hands the relist to the watch thread. */
  private void failed(Throwable t) {
    if (closed) {
      return;
    }
    if (t instanceof CompactedException c) {
      LOG.warn("etcd watch of {}: revision compacted (at {}), listing again", keys.root(), c.getCompactedRevision());
    } else {
      LOG.warn("etcd watch of {} failed, listing again", keys.root(), t);
    }
    try {
      watchThread.execute(this::relistAndNotify);
    } catch (RejectedExecutionException closing) {
      // closed meanwhile
    }
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

  /** Test hook: waits until {@code n} puts are waiting for etcd's answer at once. */
  synchronized boolean awaitPutsInFlight(int n, Duration max) throws InterruptedException {
    return awaitUntil(this, () -> inFlight >= n, max);
  }

  /** Test hook: waits until listing again after a watch failure has failed {@code n} times in all. */
  synchronized boolean awaitRelistFailures(int n, Duration max) throws InterruptedException {
    return awaitUntil(this, () -> relistFailures >= n, max);
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
    WatchResponse r;
    while ((r = inbox.poll()) != null) {
      for (WatchEvent e : r.getEvents()) {
        KeyValue kv = e.getKeyValue();
        if (kv.getModRevision() <= confirmedRevision) {
          // The snapshot was confirmed equal to etcd at a later revision: a backlog event.
        } else if (e.getEventType() == WatchEvent.EventType.PUT) {
          applyPut(kv);
        } else if (e.getEventType() == WatchEvent.EventType.DELETE) {
          applyDelete(string(kv.getKey()), kv.getModRevision());
        }
        watchedRevision = Math.max(watchedRevision, kv.getModRevision());
      }
      if (r.isProgressNotify()) {
        progressRevision = Math.max(progressRevision, r.getHeader().getRevision());
      }
      long passed = Math.max(watchedRevision, confirmedRevision);
      tombstones.values().removeIf(t -> t <= passed);
    }
  }

  /**
   * Whether the snapshot already holds the key at {@code rev} or later: the key was put or removed
   * at that revision or after, or the watch (or a list) has passed it. Holds the monitor.
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
    Optional<ObjectKey> key = keys.parseObject(k);
    Optional<EffectId> op = keys.parseOperation(k);
    if (key.isPresent()) {
      Writing w = writing.get(k);
      ApiObject after = w != null && w.value().equals(kv.getValue()) ? withVersion(w.object(), rev) : decode(k, kv);
      Optional<ApiObject> before = state.get(key.get());
      state = state.put(after);
      changes.add(new Change(key.get(), before, Optional.of(after)));
      remoteApplied++;
    } else if (op.isPresent()) {
      state = state.withOperation(operationFormat.decode(kv.getValue().getBytes()));
    } else {
      return; // the leader key and other bookkeeping
    }
    revisions.put(k, rev);
    tombstones.remove(k);
    state = state.withResourceVersion(Math.max(state.resourceVersion(), rev));
  }

  private void applyDelete(String k, long rev) {
    if (rev <= lastRevision(k)) {
      return;
    }
    Optional<ObjectKey> key = keys.parseObject(k);
    Optional<EffectId> op = keys.parseOperation(k);
    if (key.isPresent()) {
      Optional<ApiObject> before = state.get(key.get());
      if (before.isPresent()) {
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
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
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
      if (watcher != null) {
        watcher.close();
      }
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
