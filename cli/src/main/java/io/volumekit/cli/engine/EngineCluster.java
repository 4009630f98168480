package io.volumekit.cli.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.cluster.Cluster;
import io.volumekit.cli.error.CliException;
import io.volumekit.cli.state.ObjectFile;
import io.volumekit.cli.state.StateDirectory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volumekit.core.VolumeKit;
import io.volumekit.micrometer.MicrometerMetrics;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.event.Event;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.Admissions;
import io.volumekit.core.store.Ids;
import io.volumekit.core.store.InMemoryStore;
import io.volumekit.core.store.NotFoundException;
import io.volumekit.model.codec.CodecLimits;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.KindInfo;
import io.volumekit.core.Role;
import io.volumekit.core.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The cluster of one invocation: the saved objects loaded into a {@link VolumeKit} engine whose
 * store starts from them (uids, resourceVersions and timestamps kept), with the CSI drivers of
 * the state registered.
 *
 * <p>Like a restarted kube-controller-manager, the engine reconciles every loaded object first,
 * so work left unfinished by an earlier invocation (a retry, a {@code --no-settle}) resumes. The
 * objects are written back by {@link #save()} when any change was committed.
 */
final class EngineCluster implements Cluster {

  /**
   * How long a settle waits for retries of failed operations: long enough for the first few
   * backoff steps (0.5 s, 1 s), short enough for a command line; later retries happen on the next
   * invocation, which reconciles everything again.
   */
  static final Duration SETTLE_HORIZON = Duration.ofSeconds(2);

  /** Where the node side (kubelet) keeps pods' volume directories and mounts, inside the state. */
  static final String KUBELET_DIR = "kubelet";

  private static final ObjectCodec STRICT = ObjectCodec.of(ObjectCodec.Mode.STRICT, CodecLimits.DEFAULT);
  private static final ObjectCodec LENIENT = STRICT.withMode(ObjectCodec.Mode.IGNORE);

  /** The state directory whose object file holds the state; empty when the store is durable (etcd). */
  private final Optional<StateDirectory> dir;
  private final Path statePath;
  /** The nodes whose kubelet this process plays (status, driver registration). */
  private final Predicate<String> kubeletNodes;
  private final VolumeKit kit;
  private final List<NodeDriver> drivers;
  private final List<AutoCloseable> resources;
  private final List<String> warnings = new ArrayList<>();
  private final List<Operation> loadedOperations;
  private long changes;
  private boolean dirty;
  private volatile Progress progress = Progress.none();
  private Optional<MicrometerMetrics> metrics = Optional.empty();

  private EngineCluster(Optional<StateDirectory> dir, Path statePath, VolumeKit kit, List<NodeDriver> drivers,
      List<AutoCloseable> resources, boolean dirty, List<Operation> loadedOperations, Predicate<String> kubeletNodes) {
    this.dir = dir;
    this.statePath = statePath;
    this.kubeletNodes = kubeletNodes;
    this.loadedOperations = loadedOperations;
    this.kit = kit;
    this.drivers = List.copyOf(drivers);
    this.resources = resources;
    this.dirty = dirty;
    kit.watch(change -> {
      this.dirty = true;
      changes++;
      if (changes % 64 == 0) {
        progress.update(changes);
      }
    });
  }

  /**
   * Loads the state (or makes a fresh one) and starts the engine over it.
   *
   * @param drivers the drivers served on every node
   * @param fresh the objects of a fresh state, used when nothing is saved yet
   */
  static EngineCluster open(StateDirectory dir, List<NodeDriver> drivers, List<ObjectNode> fresh,
      List<AutoCloseable> resources) {
    return open(dir, drivers, fresh, resources, false);
  }

  /**
   * Like {@link #open(StateDirectory, List, List, List)}; with {@code recordMetrics} the engine
   * records its metrics into a Prometheus registry ({@link #metrics()}).
   */
  static EngineCluster open(StateDirectory dir, List<NodeDriver> drivers, List<ObjectNode> fresh,
      List<AutoCloseable> resources, boolean recordMetrics) {
    Optional<ObjectFile.Saved> saved = ObjectFile.load(dir);
    ClusterState initial = ClusterState.empty();
    if (saved.isPresent()) {
      for (ObjectNode o : saved.get().objects()) {
        initial = initial.put(decode(LENIENT, o));
      }
      for (Operation op : OperationCodec.read(saved.get().operations())) {
        initial = initial.withOperation(op);
      }
      initial = initial.withResourceVersion(saved.get().resourceVersion());
    }
    ClusterState start = initial;
    VolumeKit.Builder builder = VolumeKit.builder()
        .settleHorizon(SETTLE_HORIZON)
        .kubeletRoot(dir.path().resolve(KUBELET_DIR))
        .store(clock -> new InMemoryStore(start, clock, Ids.random(), Admissions.defaults()));
    for (NodeDriver d : drivers) {
      builder.driver(d.name(), d.controller(), d.onNode());
    }
    Optional<MicrometerMetrics> metrics = recordMetrics
        ? Optional.of(MicrometerMetrics.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
        : Optional.empty();
    metrics.ifPresent(builder::metrics);
    EngineCluster cluster = new EngineCluster(Optional.of(dir), dir.path(), builder.build(), drivers, resources,
        saved.isEmpty(), List.copyOf(start.operations()), node -> true);
    cluster.metrics = metrics;
    if (saved.isEmpty()) {
      for (ObjectNode o : fresh) {
        cluster.kit.apply(decode(LENIENT, o));
      }
    }
    cluster.registerDrivers();
    return cluster;
  }

  /**
   * An engine over a durable store (etcd) that other processes share: nothing is loaded or saved
   * (the store is the state), and the engine runs the controllers of {@code role}; an empty role
   * runs none (a client that only reads and writes objects, as kubectl). {@code statePath} holds
   * the node side's files (kubelet directory, the embedded driver's volumes).
   */
  static EngineCluster onStore(Path statePath, Store store, Optional<Role> role, List<NodeDriver> drivers,
      List<AutoCloseable> resources) {
    VolumeKit.Builder builder = VolumeKit.builder()
        .settleHorizon(SETTLE_HORIZON)
        .kubeletRoot(statePath.resolve(KUBELET_DIR))
        .store(clock -> store);
    if (role.isPresent()) {
      builder.role(role.get());
    } else {
      builder.controllers(controllers -> List.of());
    }
    for (NodeDriver d : drivers) {
      builder.driver(d.name(), d.controller(), d.onNode());
    }
    Predicate<String> kubelet = node -> role.map(r -> r.agentNodes().map(n -> n.contains(node)).orElse(false)).orElse(false);
    return new EngineCluster(Optional.empty(), statePath, builder.build(), drivers, resources, false, List.of(), kubelet);
  }

  /** The engine (for a serving loop). */
  VolumeKit kit() {
    return kit;
  }

  @Override
  public Optional<String> metrics() {
    return metrics.map(m -> {
      m.refresh();
      return ((PrometheusMeterRegistry) m.registry()).scrape();
    });
  }

  /** The state directory. */
  Path statePath() {
    return statePath;
  }

  void warn(String warning) {
    if (!warnings.contains(warning)) {
      warnings.add(warning);
    }
  }

  @Override
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Registers every driver on every node, as the nodes' kubelets do (idempotent). */
  void registerDrivers() {
    new KubeletSetup(this, drivers, kubeletNodes).registerAll();
  }

  private static ApiObject decode(ObjectCodec codec, JsonNode tree) {
    return codec.decode(tree).single();
  }

  @Override
  public Instant now() {
    return kit.runtime().clock().instant();
  }

  @Override
  public List<ObjectNode> list(KindInfo kind) {
    List<ObjectNode> out = new ArrayList<>();
    for (ApiObject o : kit.list(kind.kind())) {
      out.add(tree(o));
    }
    return out;
  }

  @Override
  public Optional<ObjectNode> get(KindInfo kind, String namespace, String name) {
    return kit.get(new ObjectKey(kind.kind(), namespace, name)).map(EngineCluster::tree);
  }

  static ObjectNode tree(ApiObject o) {
    return (ObjectNode) STRICT.toTree(o);
  }

  @Override
  public ObjectNode write(KindInfo kind, ObjectNode desired, boolean create, String source) {
    String name = desired.path("metadata").path("name").asText("");
    try {
      ApiObject object = decode(STRICT, desired);
      // Defaults, validation (create or update rules) and admission are the store's, as the API
      // server's are: the same path as every other client write (Store.write).
      ApiObject stored = kit.runtime().submit(new Event.Applied(object)).orElseThrow();
      if (kind.kind().equals("Node")) {
        registerDrivers(); // a new node gets the drivers, as its kubelet would
      }
      return tree(stored);
    } catch (RuntimeException e) {
      throw ErrorMapping.ofWrite(e, kind, name, create, source).orElseThrow(() -> e);
    }
  }

  /** Writes an object as a controller would: as given, status included, no apply merge. */
  void writeAsController(ObjectNode object) {
    kit.runtime().submit(new Event.Applied(decode(LENIENT, object)));
  }

  /** Registers every CSI driver's node plugin on the node, as its kubelet does. */
  void registerNode(String nodeName) {
    kit.registerNode(nodeName);
  }

  @Override
  public void delete(KindInfo kind, String namespace, String name) {
    try {
      kit.delete(kind.kind(), namespace, name);
    } catch (NotFoundException e) {
      throw CliException.notFound(kind, name);
    }
  }

  @Override
  public void settle(Progress progress) {
    this.progress = progress;
    try {
      kit.settle();
      progress.update(changes);
    } finally {
      this.progress = Progress.none();
    }
  }

  @Override
  public void save() {
    if (dir.isEmpty()) {
      return; // a durable store: every write is already committed
    }
    ClusterState s = kit.state();
    if (!dirty && List.copyOf(s.operations()).equals(loadedOperations)) {
      return;
    }
    List<ObjectNode> objects = new ArrayList<>(s.size());
    for (ApiObject o : s.all()) {
      objects.add(tree(o));
    }
    ObjectFile.save(dir.get(), s.resourceVersion(), objects, OperationCodec.write(s.operations()));
    dirty = false;
  }

  @Override
  public void close() {
    closeAll(resources);
  }

  /** Closes every resource, even when some fail; the first failure is thrown with the others suppressed. */
  static void closeAll(List<AutoCloseable> resources) {
    RuntimeException failure = null;
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("cannot release " + r, e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
