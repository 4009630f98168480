package io.volumekit.core;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.binding.IndexedVolumeMatcher;
import io.volumekit.core.binding.VolumeMatcher;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.Controllers;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.node.FileSystemVolumeWriter;
import io.volumekit.core.node.TmpfsMounter;
import io.volumekit.core.node.LocalVolumeWriter;
import io.volumekit.core.podvolume.DriverInfo;
import io.volumekit.core.node.NodePlugins;
import io.volumekit.core.csi.CsiNodeRegistration;
import io.volumekit.core.mount.NodeRegistrar;
import io.volumekit.core.mount.PodVolumes;
import io.volumekit.core.podvolume.VolumeHost;
import java.nio.file.Path;
import io.volumekit.core.event.Event;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.event.StoredEventRecorder;
import io.volumekit.core.metrics.EngineMetrics;
import io.volumekit.core.runtime.EffectListener;
import io.volumekit.core.runtime.ManualClock;
import io.volumekit.core.runtime.Runtime;
import io.volumekit.core.runtime.SettleResult;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.store.Admission;
import io.volumekit.core.Admissions;
import io.volumekit.core.store.Ids;
import io.volumekit.core.store.InMemoryStore;
import io.volumekit.core.store.NotFoundException;
import io.volumekit.core.store.Store;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.validation.Defaults;
import io.volumekit.model.validation.Validation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.LoggerFactory;

/**
 * volumekit's entry point: Kubernetes' storage control plane as a library.
 *
 * <p>Hand it Kubernetes-shaped objects (StorageClasses, PersistentVolumes, claims, pods, nodes);
 * {@link #settle()} runs the controllers (binding, provisioning through the registered CSI drivers,
 * reclaim, protection, garbage collection) until nothing is left to do, exactly as Kubernetes would
 * converge.
 *
 * <pre>{@code
 * VolumeKit kit = VolumeKit.builder()
 *     .driver("memory.csi.volumekit.io", new InMemoryCsiDriver())
 *     .node("node-1")
 *     .build();
 * kit.apply(storageClass);
 * kit.apply(claim);
 * kit.settle();
 * PersistentVolumeClaim bound = kit.get(PersistentVolumeClaim.class, "default", "data").orElseThrow();
 * }</pre>
 *
 * <p>Deterministic mode ({@link Builder#deterministic(long)}): a {@link ManualClock}, effects run
 * on the calling thread, seeded uids; the same seed and inputs give the same trace byte for byte.
 * Thread-safe.
 */
public final class VolumeKit {

  private final Runtime runtime;
  private final VolumeHost host;
  private final io.volumekit.core.health.VolumeStatsCache stats;

  private VolumeKit(Runtime runtime, VolumeHost host, io.volumekit.core.health.VolumeStatsCache stats) {
    this.runtime = runtime;
    this.host = host;
    this.stats = stats;
  }

  /**
   * The latest statistics of the pod's CSI volumes, from the kubelet's periodic NodeGetVolumeStats
   * (every minute of engine time, for drivers with GET_VOLUME_STATS): usage in bytes and inodes and
   * the volume condition, as the kubelet's summary API reports them. Empty until the first
   * collection, and for volumes no longer published.
   */
  public List<io.volumekit.core.health.VolumeStats> volumeStats(Pod pod) {
    return stats.forPod(pod.metadata().uid().orElse(""));
  }

  /** The latest statistics of every published CSI volume (see {@link #volumeStats(Pod)}). */
  public List<io.volumekit.core.health.VolumeStats> volumeStats() {
    return stats.all();
  }

  /** A builder with defaults: system clock, effects on the calling thread, random uids. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the object, or updates it if it exists (kubectl apply): on update, fields the
   * control plane owns are kept (status, finalizers and annotations it added, a claim's bound
   * volume and defaulted class, a PV's claimRef). Invalid input throws {@link
   * io.volumekit.core.store.StoreException} (or the model's validation exception) with the API
   * server's message, and nothing changes. Call {@link #settle()} to let the controllers react.
   *
   * @return the object as stored
   */
  public ApiObject apply(ApiObject object) {
    Objects.requireNonNull(object, "object");
    synchronized (runtime) {
      // The merge is the client's (kubectl apply); defaults, validation and admission are the
      // store's, on the one path every client write takes (Store.write).
      Optional<ApiObject> existing = object.metadata().name().isEmpty()
          ? Optional.empty() : runtime.state().get(ObjectKey.of(object));
      ApiObject toWrite = existing.map(e -> merge(object, e)).orElse(object);
      ApiObject stored = runtime.submit(new Event.Applied(toWrite)).orElseThrow();
      if (object instanceof Node && existing.isEmpty()) {
        registerNode(stored.metadata().name());
        return runtime.state().get(ObjectKey.of(stored)).orElse(stored);
      }
      return stored;
    }
  }

  /**
   * Registers every CSI driver's node plugin on the node now, as the kubelet's plugin manager does
   * when a driver's registration socket appears ({@link NodeRegistrar}): {@code GetPluginInfo} and
   * {@code NodeGetInfo} as effects of the runtime (traced, retried), then the Node's topology
   * labels and {@code csi.volume.kubernetes.io/nodeid} annotation and the node's CSINode entry.
   * Drivers already registered on the node (in that annotation) are left as they are. Called for
   * every Node {@link #apply}ed for the first time (the builder's included); the registrar also
   * registers nodes by itself during {@link #settle()}. A driver whose registration fails gets a
   * Warning event on the Node and is retried with backoff during later settles.
   */
  public void registerNode(String nodeName) {
    if (runtime.controllers().stream().anyMatch(c -> c.name().equals(NodeRegistrar.NAME))) {
      runtime.reconcileNow(NodeRegistrar.NAME, ObjectKey.cluster(Node.KIND, nodeName));
    } // else the application removed the registrar (Builder.controllers): nothing registers plugins
  }

  /**
   * Whether the pod's volumes are ready (the pod is Running on its node) and the host path of each
   * container volume mount, with subPath resolved safely ({@link PodVolumes}).
   *
   * @throws NotFoundException if there is no such pod
   */
  public PodVolumes podVolumes(ObjectKey pod) {
    ClusterState s = runtime.state();
    Pod p = s.get(pod, Pod.class).orElseThrow(() -> new NotFoundException(pod));
    return PodVolumes.of(s, host, p);
  }

  /** {@link #podVolumes(ObjectKey)} for the stored version of the pod. */
  public PodVolumes podVolumes(Pod pod) {
    return podVolumes(ObjectKey.of(pod));
  }

  /** The kubelet root and registered drivers the node side uses. */
  public VolumeHost volumeHost() {
    return host;
  }

  /** Applies the object and returns it typed. */
  public <T extends ApiObject> T apply(T object, Class<T> type) {
    return type.cast(apply(object));
  }

  /**
   * Requests deletion (kubectl delete): the object goes away at once, or after its finalizers are
   * removed by the controllers during {@link #settle()}.
   *
   * @throws NotFoundException if there is no such object
   */
  public void delete(ObjectKey key) {
    runtime.submit(new Event.DeleteRequested(key));
  }

  /** Requests deletion of the object with the kind, namespace ({@code ""} if cluster-scoped) and name. */
  public void delete(String kind, String namespace, String name) {
    delete(new ObjectKey(kind, namespace, name));
  }

  /** The stored object with the key, if any. */
  public Optional<ApiObject> get(ObjectKey key) {
    return runtime.state().get(key);
  }

  /** The stored object of the type (its {@code KIND}) in the namespace with the name, if any. */
  public <T extends ApiObject> Optional<T> get(Class<T> type, String namespace, String name) {
    return runtime.state().get(new ObjectKey(kindOf(type), namespace, name), type);
  }

  /** Every stored object of the kind, in namespace/name order. */
  public List<ApiObject> list(String kind) {
    return List.copyOf(runtime.state().list(kind));
  }

  /** Every stored object of the type, in namespace/name order. */
  public <T extends ApiObject> List<T> list(Class<T> type) {
    return runtime.state().list(kindOf(type), type);
  }

  /** Runs the controllers until nothing is left to do (retries within the default horizon). */
  public SettleResult settle() {
    return runtime.settle();
  }

  /** Runs the controllers until nothing is left to do or only timers beyond the horizon remain. */
  public SettleResult settle(Duration horizon) {
    return runtime.settle(horizon);
  }

  /**
   * With a manual clock ({@code deterministic} builders): lets {@code duration} of engine time
   * pass, performing the retries and the periodic work (republishes, volume stats, token
   * refreshes) due on the way. See {@link Runtime#runFor}.
   */
  public SettleResult runFor(Duration duration) {
    return runtime.runFor(duration);
  }

  /** Every recorded Kubernetes Event, oldest first. */
  public List<io.volumekit.model.core.Event> events() {
    List<io.volumekit.model.core.Event> out =
        new ArrayList<>(runtime.state().list(io.volumekit.model.core.Event.KIND, io.volumekit.model.core.Event.class));
    // Names end in the hex store version at creation: creation order, stable under count updates.
    out.sort(Comparator.comparingLong((io.volumekit.model.core.Event e) -> {
      String n = e.metadata().name();
      try {
        return Long.parseLong(n.substring(n.lastIndexOf('.') + 1), 16);
      } catch (NumberFormatException ex) {
        return Long.MAX_VALUE;
      }
    }));
    return out;
  }

  /** The recorded events about one object, oldest first. */
  public List<io.volumekit.model.core.Event> events(ObjectKey involved) {
    List<io.volumekit.model.core.Event> out = new ArrayList<>();
    for (io.volumekit.model.core.Event e : events()) {
      var r = e.involvedObject();
      if (r.kind().orElse("").equals(involved.kind()) && r.nameOrEmpty().equals(involved.name())
          && r.namespaceOrEmpty().equals(involved.namespace())) {
        out.add(e);
      }
    }
    return out;
  }

  /** Calls the listener with every committed change (ADDED/MODIFIED/DELETED with both versions). */
  public void watch(Consumer<Change> listener) {
    runtime.watch(listener);
  }

  /** The current immutable snapshot of everything. */
  public ClusterState state() {
    return runtime.state();
  }

  /** The runtime underneath (for tools and simulations). */
  public Runtime runtime() {
    return runtime;
  }

  private static String kindOf(Class<? extends ApiObject> type) {
    try {
      return (String) type.getField("KIND").get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(type.getName() + " has no public static KIND field", e);
    }
  }

  /** kubectl-apply-like merge: the user's object, keeping what the control plane owns. */
  static ApiObject merge(ApiObject user, ApiObject stored) {
    ObjectMeta sm = stored.metadata();
    ObjectMeta um = user.metadata();
    Map<String, String> ann = new LinkedHashMap<>(sm.annotations());
    ann.putAll(um.annotations());
    LinkedHashSet<String> fin = new LinkedHashSet<>(sm.finalizers());
    fin.addAll(um.finalizers());
    ObjectMeta m = um.withAnnotations(com.google.common.collect.ImmutableMap.copyOf(ann))
        .withFinalizers(ImmutableList.copyOf(fin))
        .withUid(sm.uid())
        .withCreationTimestamp(sm.creationTimestamp())
        .withDeletionTimestamp(sm.deletionTimestamp())
        .withGeneration(sm.generation());
    if (um.ownerReferences().isEmpty()) {
      m = m.withOwnerReferences(sm.ownerReferences());
    }
    ApiObject out = user.withMetadata(m);
    if (out instanceof PersistentVolumeClaim c && stored instanceof PersistentVolumeClaim s) {
      var spec = c.spec();
      if (spec.volumeName().isEmpty()) {
        spec = spec.withVolumeName(s.spec().volumeName());
      }
      if (spec.storageClassName().isEmpty()) {
        spec = spec.withStorageClassName(s.spec().storageClassName());
      }
      out = c.withSpec(spec).withStatus(s.status());
    } else if (out instanceof PersistentVolume v && stored instanceof PersistentVolume s) {
      var spec = v.spec();
      if (spec.claimRef().isEmpty()) {
        spec = spec.withClaimRef(s.spec().claimRef());
      }
      out = v.withSpec(spec).withStatus(s.status());
    } else if (out instanceof Pod p && stored instanceof Pod s) {
      var spec = p.spec();
      if (spec.nodeName().isEmpty()) {
        spec = spec.withNodeName(s.spec().nodeName()); // set by the scheduler
      }
      out = p.withSpec(spec).withStatus(s.status());
    } else if (out instanceof Node n && stored instanceof Node s) {
      out = n.withStatus(s.status());
    }
    return out;
  }

  /** Builds a {@link VolumeKit}. */
  public static final class Builder {
    private final Map<String, CsiDriver> drivers = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<ApiObject> objects = new ArrayList<>();
    private final List<Controller> extraControllers = new ArrayList<>();
    private final List<Admission> extraAdmission = new ArrayList<>();
    private final List<EffectListener> effectListeners = new ArrayList<>();
    private UnaryOperator<List<Controller>> controllerChange = UnaryOperator.identity();
    private Role role = Role.all();
    private Clock clock = Clock.systemUTC();
    private Executor executor = Runnable::run;
    private Ids ids = Ids.random();
    private Optional<Duration> horizon = Optional.empty();
    private Optional<Consumer<String>> trace = Optional.empty();
    private VolumeMatcher matcher = new IndexedVolumeMatcher();
    private EventRecorder recorder = new StoredEventRecorder();
    private Function<Clock, Store> storeFactory;
    private final Map<String, Function<String, CsiDriver>> nodePluginFactories = new LinkedHashMap<>();
    private Path kubeletRoot = VolumeHost.defaultRoot();
    private Optional<LocalVolumeWriter> localWriter = Optional.empty();
    private io.volumekit.core.migration.CsiMigration migration = io.volumekit.core.migration.CsiMigration.all();
    private EngineMetrics metrics = EngineMetrics.noop();
    private Optional<io.volumekit.core.token.TokenIssuer> tokenIssuer = Optional.empty();
    private Optional<io.volumekit.core.node.ImageVolumePuller> imageVolumePuller = Optional.empty();
    private Optional<Duration> healthMonitorInterval = Optional.empty();
    private final Map<io.volumekit.model.populator.SourceKind, io.volumekit.core.populator.Populator> populators =
        new LinkedHashMap<>();
    private boolean crossNamespaceVolumeDataSource;
    private boolean seLinuxMount;
    private io.volumekit.core.node.KubeletPathLayout windowsKubeletPaths = io.volumekit.core.node.KubeletPathLayout.WINDOWS;

    private Builder() {}

    /**
     * The kubelets' {@code SELinuxMount} feature gate (default off, as in Kubernetes): on, volumes
     * of a CSIDriver with {@code seLinuxMount: true} are mounted with {@code -o context=} whatever
     * their access modes, not only ReadWriteOncePod ones, and two pods on one node that want one
     * volume with different labels conflict.
     */
    public Builder seLinuxMount(boolean enabled) {
      this.seLinuxMount = enabled;
      return this;
    }

    /**
     * The path layout of the kubelets on Windows nodes (label {@code kubernetes.io/os: windows}):
     * the target and staging paths their CSI calls carry (default {@code c:\var\lib\kubelet}).
     */
    public Builder windowsKubeletPaths(io.volumekit.core.node.KubeletPathLayout layout) {
      this.windowsKubeletPaths = Objects.requireNonNull(layout, "layout");
      return this;
    }

    /** Registers a CSI driver under its name (the StorageClass provisioner / PV csi.driver). */
    public Builder driver(String name, CsiDriver driver) {
      drivers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(driver, "driver"));
      return this;
    }

    /**
     * Registers a CSI driver whose node plugin on each node is made by {@code perNode} (given the
     * node name); node RPCs of that node go to it.
     */
    public Builder driver(String name, CsiDriver driver, Function<String, CsiDriver> perNode) {
      driver(name, driver);
      nodePluginFactories.put(name, Objects.requireNonNull(perNode, "perNode"));
      return this;
    }

    /** The kubelet root directory (default {@code <java.io.tmpdir>/volumekit/kubelet}). */
    public Builder kubeletRoot(Path root) {
      this.kubeletRoot = Objects.requireNonNull(root, "root");
      return this;
    }

    /**
     * Where node-local volume writes go (default: a {@link FileSystemVolumeWriter} under the
     * kubelet root, mounting memory-backed emptyDirs with {@link TmpfsMounter#system()}).
     */
    public Builder localVolumeWriter(LocalVolumeWriter writer) {
      this.localWriter = Optional.of(Objects.requireNonNull(writer, "writer"));
      return this;
    }

    /** Adds a node object at start. */
    public Builder node(Node node) {
      nodes.add(Objects.requireNonNull(node, "node"));
      return this;
    }

    /** Adds a node with just a name (labelled {@code kubernetes.io/hostname=<name>}). */
    public Builder node(String name) {
      return node(io.volumekit.model.core.NodeBuilder.builder()
          .metadata(io.volumekit.model.meta.ObjectMetaBuilder.builder().name(name)
              .labels(ImmutableMap.of("kubernetes.io/hostname", name)).build())
          .build());
    }

    /** Adds any object to create at start (after nodes). */
    public Builder object(ApiObject object) {
      objects.add(Objects.requireNonNull(object, "object"));
      return this;
    }

    /** The clock (default: system UTC). A {@link ManualClock} is advanced by settle(). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where effects (CSI calls) run (default: the calling thread). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Seeds uids and generated names. */
    public Builder seed(long seed) {
      this.ids = Ids.seeded(seed);
      return this;
    }

    /** Deterministic mode: a {@link ManualClock}, effects on the calling thread, seeded ids. */
    public Builder deterministic(long seed) {
      return clock(new ManualClock()).executor(Runnable::run).seed(seed);
    }

    /** How far ahead {@link VolumeKit#settle()} waits for retries (default 10 min with a ManualClock, 30 s otherwise). */
    public Builder settleHorizon(Duration horizon) {
      this.horizon = Optional.of(horizon);
      return this;
    }

    /**
     * Where service-account tokens come from: for CSI drivers' {@code tokenRequests} and projected
     * {@code serviceAccountToken} volumes (Kubernetes' TokenRequest API). Default: a {@link
     * io.volumekit.core.token.JwtTokenIssuer} with an RSA key generated on first use.
     */
    public Builder tokenIssuer(io.volumekit.core.token.TokenIssuer issuer) {
      this.tokenIssuer = Optional.of(issuer);
      return this;
    }

    /**
     * What fills image volumes (a pod's {@code image} volume source): without one, such a pod stays
     * Pending with a FailedMount event. The testkit's {@code OciLayoutImagePuller} reads local OCI
     * layouts.
     */
    public Builder imageVolumePuller(io.volumekit.core.node.ImageVolumePuller puller) {
      this.imageVolumePuller = Optional.of(Objects.requireNonNull(puller, "puller"));
      return this;
    }

    /**
     * Runs the CSI external-health-monitor controller: ControllerGetVolume on every Bound PV of a
     * driver with GET_VOLUME and VOLUME_CONDITION every {@code interval}, abnormal conditions as
     * {@code VolumeConditionAbnormal} events on the claims. Off by default, as the sidecar is.
     */
    public Builder volumeHealthMonitor(Duration interval) {
      this.healthMonitorInterval = Optional.of(interval);
      return this;
    }

    /**
     * Plugs a volume populator in for its data source kind: claims whose {@code dataSourceRef} names
     * that group/kind are filled by it and then bound, as kubernetes-csi/lib-volume-populator does
     * ({@link io.volumekit.core.populator.PopulatorController}); the engine also creates the {@code
     * VolumePopulator} object {@code populator.name()} for the kind. Without a populator for a kind,
     * its claims wait for an external populator (the provisioner's {@code Provisioning} event).
     *
     * @throws IllegalArgumentException if a populator for the same kind is already registered
     */
    public Builder populator(io.volumekit.core.populator.Populator populator) {
      Objects.requireNonNull(populator, "populator");
      if (populators.putIfAbsent(populator.sourceKind(), populator) != null) {
        throw new IllegalArgumentException("a populator for " + populator.sourceKind() + " is already registered");
      }
      return this;
    }

    /**
     * Kubernetes' {@code CrossNamespaceVolumeDataSource} feature gate (default off, as in
     * Kubernetes): on, a claim's {@code dataSourceRef} may name a snapshot, claim or populator data
     * source in another namespace, used when a gateway.networking.k8s.io {@code ReferenceGrant} in
     * that namespace allows it; off, such a claim is refused ({@code ProvisioningFailed}).
     */
    public Builder crossNamespaceVolumeDataSource(boolean enabled) {
      this.crossNamespaceVolumeDataSource = enabled;
      return this;
    }

    /** Receives one line per input, write, effect and outcome. */
    public Builder trace(Consumer<String> trace) {
      this.trace = Optional.of(trace);
      return this;
    }

    /** The binder's volume matcher (default: the indexed one). */
    public Builder matcher(VolumeMatcher matcher) {
      this.matcher = Objects.requireNonNull(matcher, "matcher");
      return this;
    }

    /** Where Kubernetes Events go (default: stored as Event objects). */
    public Builder eventRecorder(EventRecorder recorder) {
      this.recorder = Objects.requireNonNull(recorder, "recorder");
      return this;
    }

    /** Adds a controller after the default ones. */
    public Builder controller(Controller controller) {
      extraControllers.add(Objects.requireNonNull(controller, "controller"));
      return this;
    }

    /**
     * Changes the default controllers: {@code change} receives the list {@link #build()} would
     * wire ({@link Controllers#defaults(java.util.Set, VolumeMatcher, VolumeHost)}, in the order
     * they see changes; a mutable list) and returns the controllers to run instead. Use it to
     * replace, wrap or remove a default controller; controllers added with {@link
     * #controller(Controller)} come after the result. Several calls compose in order. Names must
     * stay unique (effects name the controller that owns them).
     *
     * <pre>{@code
     * VolumeKit kit = VolumeKit.builder()
     *     .driver("memory.csi.volumekit.io", driver)
     *     .controllers(list -> {
     *       list.replaceAll(c -> c instanceof ReclaimController ? new MyReclaimer(c) : c);
     *       list.removeIf(c -> c instanceof GarbageCollector);
     *       return list;
     *     })
     *     .build();
     * }</pre>
     */
    public Builder controllers(UnaryOperator<List<Controller>> change) {
      Objects.requireNonNull(change, "change");
      UnaryOperator<List<Controller>> before = controllerChange;
      controllerChange = list -> change.apply(new ArrayList<>(before.apply(list)));
      return this;
    }

    /**
     * Hears every effect the engine starts and every outcome it records ({@link
     * Runtime#addEffectListener}): calls are synchronous on the recording thread, and a listener's
     * exception propagates out of the call that recorded the start or outcome.
     */
    public Builder effectListener(EffectListener listener) {
      effectListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Reports metrics to {@code metrics} (Kubernetes' storage metrics and the engine's own; see
     * docs/observability.md). Without it nothing is recorded. For Micrometer: {@code
     * .metrics(MicrometerMetrics.of(registry))} from the volumekit-micrometer module.
     */
    public Builder metrics(EngineMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** Adds an admission hook (validation, defaulting) run before the default ones. */
    public Builder admission(Admission admission) {
      extraAdmission.add(Objects.requireNonNull(admission, "admission"));
      return this;
    }

    /**
     * Which controllers this process runs (default {@link Role#all()}): with a shared store,
     * {@link Role#controlPlane()} in one process and {@link Role#nodeAgent} in the processes that
     * own the nodes, as a cluster divides them. Applied to the default controllers after {@link
     * #controllers}; controllers added with {@link #controller} always run.
     */
    public Builder role(Role role) {
      this.role = Objects.requireNonNull(role, "role");
      return this;
    }

    /** Uses another store (e.g. a durable one); the function receives the clock. */
    /**
     * Which in-tree volume plugins are migrated to their CSI drivers (default: all of them, as in
     * current Kubernetes). An in-tree volume of a plugin left out is refused with an event.
     */
    public Builder csiMigration(io.volumekit.core.migration.CsiMigration migration) {
      this.migration = Objects.requireNonNull(migration, "migration");
      return this;
    }

    public Builder store(Function<Clock, Store> factory) {
      this.storeFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** Builds the engine and creates the start objects (settle to let controllers react). */
    public VolumeKit build() {
      List<Admission> admission = new ArrayList<>(extraAdmission);
      admission.addAll(Admissions.defaults());
      Store store = storeFactory != null
          ? storeFactory.apply(clock)
          : new InMemoryStore(ClusterState.empty(), clock, ids, admission);
      NodePlugins plugins = new NodePlugins();
      Map<String, DriverInfo> infos = new LinkedHashMap<>();
      for (Map.Entry<String, CsiDriver> d : drivers.entrySet()) {
        Function<String, CsiDriver> perNode =
            nodePluginFactories.getOrDefault(d.getKey(), NodePlugins.defaultFactory(d.getValue()));
        plugins.register(d.getKey(), perNode);
        infos.put(d.getKey(), DriverInfo.discover(d.getKey(), d.getValue(), d.getValue()));
      }
      VolumeHost host = VolumeHost.of(kubeletRoot, infos, migration).withImageVolumes(imageVolumePuller.isPresent())
          .withSELinuxMount(seLinuxMount).withWindowsPaths(windowsKubeletPaths);
      List<Controller> controllers = new ArrayList<>(Objects.requireNonNull(
          controllerChange.apply(new ArrayList<>(Controllers.defaults(drivers.keySet(), matcher, host))),
          "controllers(change) returned null"));
      if (healthMonitorInterval.isPresent()) {
        Map<String, Set<io.volumekit.core.csi.ControllerCapability>> caps = new LinkedHashMap<>();
        infos.forEach((name, info) -> caps.put(name, info.controller()));
        controllers.add(new io.volumekit.core.health.VolumeHealthMonitor(caps, healthMonitorInterval.get()));
      }
      if (crossNamespaceVolumeDataSource) {
        controllers.replaceAll(c -> c instanceof io.volumekit.core.provisioning.ProvisioningController p
            ? p.withCrossNamespaceVolumeDataSource(true) : c);
      }
      if (!populators.isEmpty()) {
        controllers.add(new io.volumekit.core.populator.PopulatorController(populators.values(), host,
            crossNamespaceVolumeDataSource));
      }
      controllers = new ArrayList<>(role.select(controllers));
      controllers.addAll(extraControllers);
      Duration h = horizon.orElse(clock instanceof ManualClock ? Duration.ofMinutes(10) : Duration.ofSeconds(30));
      LocalVolumeWriter writer = localWriter.orElseGet(
          () -> new FileSystemVolumeWriter(host.root(), clock, TmpfsMounter.system()));
      Runtime runtime = new Runtime(store, controllers, drivers, clock, executor, recorder, h, trace, plugins, writer);
      effectListeners.forEach(runtime::addEffectListener);
      runtime.useMetrics(metrics);
      tokenIssuer.ifPresent(runtime::tokenIssuer);
      imageVolumePuller.ifPresent(runtime::imageVolumePuller);
      runtime.populators(populators);
      io.volumekit.core.health.VolumeStatsCache stats = new io.volumekit.core.health.VolumeStatsCache();
      runtime.addEffectListener(stats);
      runtime.addGaugeSource(stats::gauges);
      VolumeKit kit = new VolumeKit(runtime, host, stats);
      for (Node n : nodes) {
        kit.apply(n);
      }
      for (io.volumekit.core.populator.Populator p : populators.values()) {
        kit.apply(new io.volumekit.model.populator.VolumePopulator(ObjectMeta.named(p.name()), p.sourceKind()));
      }
      for (ApiObject o : objects) {
        kit.apply(o);
      }
      return kit;
    }
  }

  /** The annotation a claim gets when its provisioner is chosen (re-exported for users). */
  public static final String STORAGE_PROVISIONER_ANNOTATION = Annotations.STORAGE_PROVISIONER;
}
