package io.volumekit.fabric8.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.store.NotFoundException;
import io.volumekit.core.store.StoreException;
import io.volumekit.fabric8.Conversion;
import io.volumekit.fabric8.Fabric8Converter;
import io.volumekit.fabric8.Fabric8Kind;
import io.volumekit.model.codec.DecodeException;
import io.volumekit.model.core.Event;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.validation.InvalidObjectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link VolumeKit} next to a real API server, through a fabric8 {@link KubernetesClient}:
 * the objects users write to the API server are mirrored into the engine's store, and what the
 * engine's controllers decide (status, bound claims, new PersistentVolumes, VolumeAttachments,
 * CSINodes, Events, deletions) is written back.
 *
 * <p>This is the informer-and-client loop of a Kubernetes controller manager, with the engine in the
 * middle:
 *
 * <ul>
 *   <li><b>In.</b> A shared informer per mirrored kind lists and watches the API server. Each object
 *       it reports is converted ({@link Fabric8Converter}) and applied to the engine with {@link
 *       VolumeKit#apply}, the client path ({@code Store.write}: defaults, validation, admission).
 *       The engine owns status: an object's status on the API server is never copied in. A
 *       deletion on the API server (or a {@code deletionTimestamp} there) is a {@link
 *       VolumeKit#delete} in the engine. An object the engine refuses is logged with the engine's
 *       field-pathed message and listed in {@link #refusals()}; nothing else happens to it.
 *   <li><b>Out.</b> Every change the engine commits ({@link VolumeKit#watch}) marks its key; the
 *       bridge then writes the engine's version of the object to the API server: create, update
 *       (spec and metadata), {@code updateStatus}, or delete. Fields of the API server's object that
 *       volumekit does not model (its {@link Conversion#unmappedFields()}) are carried over, so a
 *       write from the engine never drops them. When the engine removes an object the API server is
 *       deleting, the finalizers the engine held are removed there.
 *   <li><b>Echoes.</b> The API server reports the bridge's own writes back through the informers;
 *       the bridge recognises them by the resourceVersion its write returned and skips them.
 *   <li><b>Uids.</b> Both sides assign their own uids. The bridge keeps the pairs and rewrites uid
 *       references ({@code claimRef.uid}, {@code ownerReferences}, an Event's {@code
 *       involvedObject.uid}) for the side they are written to.
 * </ul>
 *
 * <p>All work happens on one bridge thread, in order: informer events, the engine's {@link
 * VolumeKit#settle(Duration) settle} (with no horizon: retries come due on the next tick) and the
 * writes back. Every {@code tick} the bridge settles again, so the engine's backoff retries run.
 * A write refused by the API server because of a stale resourceVersion (409) is retried from the
 * newer version the informer delivers.
 *
 * <pre>{@code
 * VolumeKit kit = VolumeKit.builder().driver("memory.csi.volumekit.io", new InMemoryCsiDriver()).node("node-1").build();
 * try (Fabric8Bridge bridge = Fabric8Bridge.builder(client, kit).build()) {
 *   bridge.start();
 *   // claims created with kubectl are now bound by volumekit
 * }
 * }</pre>
 */
public final class Fabric8Bridge implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Fabric8Bridge.class);

  private final KubernetesClient client;
  private final VolumeKit kit;
  private final List<Fabric8Kind> kinds;
  private final Set<String> inboundKinds;
  private final Duration tick;
  private final Duration syncTimeout;
  private final Fabric8Converter converter = Fabric8Converter.standard();
  private final ScheduledExecutorService worker;

  // Only touched on the bridge thread.
  private final Map<ObjectKey, GenericKubernetesResource> server = new HashMap<>();
  private final Map<ObjectKey, Set<String>> ownVersions = new HashMap<>();
  private final Map<ObjectKey, Set<String>> heldFinalizers = new HashMap<>();
  private final UidMap uids = new UidMap();
  private final LinkedHashSet<ObjectKey> dirty = new LinkedHashSet<>();

  private final Map<ObjectKey, String> refusals = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
  private volatile boolean started;
  private volatile boolean closed;

  private Fabric8Bridge(Builder b) {
    this.client = b.client;
    this.kit = b.kit;
    this.kinds = List.copyOf(b.kinds);
    this.inboundKinds = Set.copyOf(b.inboundKinds);
    this.tick = b.tick;
    this.syncTimeout = b.syncTimeout;
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "volumekit-fabric8-bridge");
      t.setDaemon(true);
      return t;
    });
  }

  /** A bridge between the API server the client talks to and the engine. */
  public static Builder builder(KubernetesClient client, VolumeKit kit) {
    return new Builder(client, kit);
  }

  /**
   * Starts the informers, waits until each has listed its kind, writes the engine's own objects
   * (its nodes, CSINodes) to the API server, and starts the bridge thread's ticks.
   *
   * @throws IllegalStateException if an informer does not sync within the sync timeout
   */
  public void start() {
    if (started) {
      throw new IllegalStateException("the bridge was already started");
    }
    started = true;
    kit.watch(this::engineChanged);
    for (Fabric8Kind kind : kinds) {
      if (!inboundKinds.contains(kind.info().kind())) {
        continue;
      }
      SharedIndexInformer<GenericKubernetesResource> informer =
          resources(kind).inAnyNamespace().inform(new Handler(), 0);
      informers.add(informer);
    }
    for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
      try {
        informer.start().toCompletableFuture().get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the informers synced", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("an informer did not sync within " + syncTimeout, e);
      }
    }
    worker.execute(() -> {
      for (Fabric8Kind kind : kinds) {
        for (ApiObject o : kit.list(kind.info().kind())) {
          dirty.add(ObjectKey.of(o));
        }
      }
    });
    worker.scheduleWithFixedDelay(this::settleAndWriteBack, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The objects the engine refused when the bridge mirrored them in, with the engine's message
   * (the API server's wording, field-pathed). An object leaves the list when a later version of it
   * is accepted.
   */
  public Map<ObjectKey, String> refusals() {
    return Map.copyOf(refusals);
  }

  /**
   * Waits until everything the bridge was handed before this call is done: the informer events
   * already queued are mirrored in, the engine settled, and the engine's changes written back to the
   * API server (a write the API server refused as stale is retried on a later tick, not by this
   * call).
   *
   * @throws TimeoutException if that takes longer than {@code timeout}
   */
  public void flush(Duration timeout) throws TimeoutException, InterruptedException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    worker.execute(() -> {
      try {
        kit.settle(Duration.ZERO);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
      // Behind the tasks that noted the settle's changes.
      worker.execute(() -> {
        writeBack();
        done.complete(null);
      });
    });
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("volumekit settle failed", e.getCause());
    }
  }

  /** Stops the informers and the bridge thread. The engine and the client stay usable. */
  @Override
  public void close() {
    closed = true;
    informers.forEach(SharedIndexInformer::stop);
    worker.shutdownNow();
  }

  // ------------------------------------------------------------------ in: API server -> engine

  private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource obj) {
      submit(() -> inbound(obj, false));
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
      submit(() -> inbound(newObj, false));
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
      submit(() -> inbound(obj, true));
    }
  }

  private void submit(Runnable task) {
    if (closed) {
      return;
    }
    worker.execute(() -> {
      task.run();
      settleAndWriteBack();
    });
  }

  private static ObjectKey keyOf(GenericKubernetesResource o) {
    String ns = o.getMetadata().getNamespace();
    return new ObjectKey(o.getKind(), ns == null ? "" : ns, o.getMetadata().getName());
  }

  private void inbound(GenericKubernetesResource obj, boolean deleted) {
    ObjectKey key = keyOf(obj);
    if (deleted) {
      server.remove(key);
      ownVersions.remove(key);
      if (kit.get(key).isPresent()) {
        try {
          kit.delete(key);
        } catch (NotFoundException e) {
          LOG.debug("{} was already gone from the engine", key);
        }
      }
      return;
    }
    String rv = obj.getMetadata().getResourceVersion();
    boolean echo = ownVersions.getOrDefault(key, Set.of()).contains(rv);
    GenericKubernetesResource previous = server.get(key);
    if (previous != null && newer(previous, obj)) {
      return; // an older version than one of our writes returned (seen() took that one in)
    }
    seen(key, obj);
    if (echo || obj.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    ObjectNode tree = (ObjectNode) Fabric8Converter.tree(obj);
    var engine = kit.get(key);
    ObjectNode in = Trees.withoutServerMetadata(tree);
    uids.toEngine(in);
    in.remove("status");
    engine.ifPresent(e -> {
      JsonNode status = converter.toTree(e).get("status");
      if (status != null) {
        in.set("status", status);
      }
    });
    Conversion<ApiObject> c;
    try {
      c = converter.toVolumekit(in);
    } catch (DecodeException e) {
      refuse(key, e.getMessage());
      return;
    }
    if (!c.complete()) {
      LOG.debug("{}: fields volumekit does not model, kept on the API server only: {}", key, c.unmappedFields());
    }
    if (engine.isPresent() && Trees.userView(converter.toTree(engine.get())).equals(Trees.userView(converter.toTree(c.value())))) {
      return; // nothing a user owns changed
    }
    try {
      ApiObject stored = kit.apply(c.value());
      refusals.remove(key);
      uids.put(stored.metadata().uid().orElse(""), obj.getMetadata().getUid());
    } catch (StoreException | InvalidObjectException e) {
      refuse(key, e.getMessage());
    }
  }

  /** Whether {@code a} is newer than {@code b} (resourceVersions are integers on the API server). */
  private static boolean newer(GenericKubernetesResource a, GenericKubernetesResource b) {
    try {
      return Long.parseLong(a.getMetadata().getResourceVersion()) > Long.parseLong(b.getMetadata().getResourceVersion());
    } catch (NumberFormatException e) {
      return false; // opaque versions: take what the informer says
    }
  }

  private void refuse(ObjectKey key, String message) {
    LOG.warn("{} not mirrored into volumekit: {}", key, message);
    refusals.put(key, message);
  }

  // ------------------------------------------------------------------ out: engine -> API server

  private void engineChanged(Change change) {
    if (closed || kinds.stream().noneMatch(k -> k.info().kind().equals(change.kind()))) {
      return;
    }
    // Called on the thread that committed the change, holding the runtime's monitor: only note it.
    worker.execute(() -> dirty.add(change.key()));
  }

  private void settleAndWriteBack() {
    if (closed) {
      return;
    }
    try {
      kit.settle(Duration.ZERO);
      // The engine's changes were noted as tasks queued behind this one: take them first.
      worker.execute(this::writeBack);
    } catch (RuntimeException e) {
      LOG.warn("volumekit settle failed: {}", e.toString(), e);
    }
  }

  private void writeBack() {
    List<ObjectKey> keys = new ArrayList<>(dirty);
    dirty.clear();
    for (ObjectKey key : keys) {
      try {
        writeBack(key);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 || e.getCode() == 404) {
          // Stale: the informer brings the API server's newer version; write again after it.
          LOG.debug("{}: {} on write, retrying after the informer's update", key, e.getCode());
          refresh(key);
          dirty.add(key);
        } else {
          LOG.warn("{}: writing volumekit's version to the API server failed: {}", key, e.getMessage());
          dirty.add(key);
        }
      } catch (RuntimeException e) {
        // Not the API server's refusal: a bug here or in a conversion. Say so, try again next tick.
        LOG.warn("{}: cannot write volumekit's version to the API server", key, e);
        dirty.add(key);
      }
    }
  }

  private void refresh(ObjectKey key) {
    GenericKubernetesResource current = resource(key).get();
    if (current == null) {
      server.remove(key);
    } else {
      seen(key, current);
    }
  }

  /**
   * Takes in the API server's newest known version of an object, whichever way it came: an
   * informer event, a read after a conflict, or the answer to one of the bridge's own writes. A
   * {@code deletionTimestamp} there is a deletion in the engine, however it was learnt: the
   * informer's event for the user's delete may arrive after the answer to a later write of ours,
   * and is then skipped as older.
   */
  private void seen(ObjectKey key, GenericKubernetesResource obj) {
    server.put(key, obj);
    if (obj.getMetadata().getDeletionTimestamp() == null) {
      return;
    }
    var engine = kit.get(key);
    if (engine.isPresent() && !engine.get().metadata().isDeleting()) {
      try {
        kit.delete(key);
      } catch (NotFoundException e) {
        LOG.debug("{} was already gone from the engine", key);
      }
    }
  }

  private void writeBack(ObjectKey key) {
    Fabric8Kind kind = kindOf(key);
    var engine = kit.get(key);
    GenericKubernetesResource current = server.get(key);
    if (engine.isEmpty()) {
      Set<String> held = heldFinalizers.getOrDefault(key, Set.of());
      heldFinalizers.remove(key);
      if (current == null) {
        return;
      }
      if (current.getMetadata().getDeletionTimestamp() == null) {
        // The engine removed it (a controller's decision, or kit.delete): the API server deletes too.
        resource(key).delete();
        refresh(key);
        current = server.get(key);
      }
      if (current != null && current.getMetadata().getDeletionTimestamp() != null) {
        // The API server waits for finalizers: drop the ones the engine held (and so has finished).
        List<String> finalizers = new ArrayList<>(current.getMetadata().getFinalizers());
        if (finalizers.removeAll(held)) {
          ObjectNode t = (ObjectNode) Fabric8Converter.tree(current);
          ArrayNode fin = ((ObjectNode) t.get("metadata")).putArray("finalizers");
          finalizers.forEach(fin::add);
          remember(key, resources(kind).resource(generic(t)).update());
        }
      }
      return;
    }
    ApiObject object = engine.get();
    heldFinalizers.computeIfAbsent(key, k -> new HashSet<>()).addAll(object.metadata().finalizers());
    ObjectNode desired = Trees.withoutServerMetadata(converter.toTree(object));
    uids.toServer(desired);
    if (current == null) {
      if (object.metadata().isDeleting()) {
        return; // never on the API server, and going away
      }
      GenericKubernetesResource created = resources(kind).resource(generic(desired)).create();
      remember(key, created);
      uids.put(object.metadata().uid().orElse(""), created.getMetadata().getUid());
      if (desired.has("status") && !Objects.equals(desired.get("status"), Fabric8Converter.tree(created).get("status"))) {
        dirty.add(key); // the API server ignored the status on create: write it through /status
      }
      return;
    }
    JsonNode currentTree = Fabric8Converter.tree(current);
    if (object.metadata().isDeleting() && current.getMetadata().getDeletionTimestamp() == null) {
      resource(key).delete(); // the engine was asked to delete it (kit.delete): the API server deletes too
      refresh(key);
      return;
    }
    List<String> unmodelled = unmodelled(currentTree);
    Trees.carryOver(currentTree, desired, unmodelled);
    ObjectNode meta = (ObjectNode) desired.get("metadata");
    for (String f : Trees.SERVER_METADATA) {
      JsonNode v = currentTree.path("metadata").get(f);
      if (v != null) {
        meta.set(f, v);
      }
    }
    if (!Trees.userView(desired).equals(Trees.userView(currentTree))) {
      ObjectNode body = desired.deepCopy();
      GenericKubernetesResource updated = resources(kind).resource(generic(body)).update();
      remember(key, updated);
      currentTree = Fabric8Converter.tree(updated);
      meta.put("resourceVersion", updated.getMetadata().getResourceVersion());
    }
    JsonNode want = desired.get("status");
    JsonNode have = currentTree.get("status");
    if (!(isEmpty(want) && isEmpty(have)) && !Objects.equals(want, have)) {
      remember(key, resources(kind).resource(generic(desired)).updateStatus());
    }
  }

  private List<String> unmodelled(JsonNode serverTree) {
    try {
      return converter.toVolumekit(Trees.withoutServerMetadata(serverTree)).unmappedFields();
    } catch (DecodeException e) {
      return List.of(); // the engine's version replaces what it could not read
    }
  }

  private static boolean isEmpty(JsonNode n) {
    return n == null || n.isNull() || (n.isContainerNode() && n.isEmpty());
  }

  private void remember(ObjectKey key, GenericKubernetesResource written) {
    if (written == null) {
      server.remove(key); // the write removed the last finalizer: the API server deleted the object
      return;
    }
    ownVersions.computeIfAbsent(key, k -> new HashSet<>()).add(written.getMetadata().getResourceVersion());
    seen(key, written);
  }

  private Fabric8Kind kindOf(ObjectKey key) {
    return kinds.stream().filter(k -> k.info().kind().equals(key.kind())).findFirst().orElseThrow();
  }

  private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
      resources(Fabric8Kind kind) {
    return client.genericKubernetesResources(kind.context());
  }

  private Resource<GenericKubernetesResource> resource(ObjectKey key) {
    var op = resources(kindOf(key));
    return key.namespace().isEmpty() ? op.withName(key.name()) : op.inNamespace(key.namespace()).withName(key.name());
  }

  private static GenericKubernetesResource generic(JsonNode tree) {
    return Serialization.unmarshal(tree.toString(), GenericKubernetesResource.class);
  }

  /** Configures a {@link Fabric8Bridge}. */
  public static final class Builder {
    private final KubernetesClient client;
    private final VolumeKit kit;
    private final List<Fabric8Kind> kinds = new ArrayList<>(Fabric8Kind.ALL);
    private final Set<String> inboundKinds = new LinkedHashSet<>();
    private Duration tick = Duration.ofSeconds(1);
    private Duration syncTimeout = Duration.ofSeconds(30);

    private Builder(KubernetesClient client, VolumeKit kit) {
      this.client = Objects.requireNonNull(client, "client");
      this.kit = Objects.requireNonNull(kit, "kit");
      for (Fabric8Kind k : Fabric8Kind.ALL) {
        if (!k.info().kind().equals(Event.KIND)) {
          inboundKinds.add(k.info().kind()); // Events are only written out: the engine records its own
        }
      }
    }

    /**
     * Mirrors only these kinds (by kind name, e.g. {@code PersistentVolumeClaim}), both ways; by
     * default every kind volumekit models (Events only out).
     */
    public Builder kinds(String... kindNames) {
      Set<String> wanted = new LinkedHashSet<>(List.of(kindNames));
      Map<String, Fabric8Kind> known = new LinkedHashMap<>();
      Fabric8Kind.ALL.forEach(k -> known.put(k.info().kind(), k));
      for (String w : wanted) {
        if (!known.containsKey(w)) {
          throw new IllegalArgumentException("volumekit does not model the kind " + w);
        }
      }
      kinds.clear();
      wanted.forEach(w -> kinds.add(known.get(w)));
      inboundKinds.retainAll(wanted);
      return this;
    }

    /** How often the bridge settles the engine to run retries that came due (default 1s). */
    public Builder tick(Duration tick) {
      if (tick.isNegative() || tick.isZero()) {
        throw new IllegalArgumentException("tick must be positive: " + tick);
      }
      this.tick = tick;
      return this;
    }

    /** How long {@link Fabric8Bridge#start()} waits for the informers' first list (default 30s). */
    public Builder syncTimeout(Duration timeout) {
      this.syncTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The bridge, not yet started. */
    public Fabric8Bridge build() {
      return new Fabric8Bridge(this);
    }
  }
}
