package io.volumekit.core.mount;

import io.volumekit.core.controller.ChangeFact;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedSet;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.csi.CsiNodeRegistration;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.RegisterPlugin;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.model.core.Node;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.OwnerReference;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.CSINodeBuilder;
import io.volumekit.model.storage.CSINodeDriver;
import io.volumekit.model.storage.CSINodeSpecBuilder;
import io.volumekit.model.storage.VolumeNodeResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The kubelets' plugin manager for CSI drivers, reconciled per Node: registers every driver's node
 * plugin on every node (docs/cases/node-side.md rows R1-R2) and writes what the registration produces.
 *
 * <p>A driver is registered on a node when the Node's {@code csi.volume.kubernetes.io/nodeid}
 * annotation has no entry for it (a new Node, a new driver): the controller starts a {@link
 * RegisterPlugin} effect ({@code GetPluginInfo}, {@code NodeGetInfo} on the driver's node plugin
 * on that node); on success the Node gains the topology labels and the annotation entry, and the
 * CSINode (named after the node, owned by it) one {@code spec.drivers[]} entry, replacing an
 * older entry of the same driver. The CSINode also carries the annotation {@value
 * #MIGRATED_PLUGINS_ANNOTATION}: the in-tree plugin names the engine's {@link CsiMigration}
 * migrates, sorted and comma-separated (none: no annotation), as the kubelet's node info manager
 * writes it. A failed registration is retried with the runtime's backoff and
 * reported once per failure as a Warning event {@value #FAILED_REGISTRATION} on the Node (the
 * kubelet logs it and the driver's registrar sidecar restarts: see
 * docs/kubernetes-differences.md). A topology label collision refuses the plugin for good
 * (Warning event, no retry), as the kubelet does.
 *
 * <p>Pure, as every controller: the CSI calls are effects performed by the runtime.
 */
public final class NodeRegistrar implements Controller {

  /** The controller's name. */
  public static final String NAME = "plugin-manager";

  /** The event source: the node's kubelet. */
  public static final String SOURCE = "kubelet";

  /** Reason of the Warning event on a Node whose plugin registration failed. */
  public static final String FAILED_REGISTRATION = "FailedPluginRegistration";

  /** CSINode annotation listing the in-tree plugins the node's kubelet migrates to CSI. */
  public static final String MIGRATED_PLUGINS_ANNOTATION = io.volumekit.core.api.Annotations.MIGRATED_PLUGINS;

  private final ImmutableSortedSet<String> drivers;
  private final String migratedPlugins;

  /** A registrar for the CSI drivers with these names, every in-tree plugin migrated. */
  public NodeRegistrar(Set<String> drivers) {
    this(drivers, CsiMigration.all());
  }

  /**
   * A registrar for the CSI drivers with these names (each has a node plugin on every node),
   * publishing the migration's plugins in each CSINode it writes.
   */
  public NodeRegistrar(Set<String> drivers, CsiMigration migration) {
    this.drivers = ImmutableSortedSet.copyOf(Objects.requireNonNull(drivers, "drivers"));
    this.migratedPlugins = String.join(",", Objects.requireNonNull(migration, "migration").migratedPlugins());
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The id of the registration of the driver on the node. */
  public static EffectId registerId(String driver, String node) {
    return EffectId.of("register-plugin/" + driver + "/" + node);
  }

  /** The node's uid, or its id annotation and registered ids, differ: the watch's test for an update. */
  private static final ChangeFact REGISTRATION_CHANGED = ChangeFact.of("node registration changed", f -> {
    ApiObject b = f.change().before().orElseThrow();
    ApiObject a = f.change().after().orElseThrow();
    return !b.metadata().uid().equals(a.metadata().uid())
        || !Objects.equals(idAnnotation(b), idAnnotation(a)) && !nodeIds(b).equals(nodeIds(a));
  });

  @Override
  public WatchedKinds watches() {
    // An update matters only when the node was replaced (a new uid) or its registered ids changed.
    return WatchedKinds.of(Node.KIND).when(Node.KIND, Change.Type.MODIFIED, REGISTRATION_CHANGED);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    if (!change.kind().equals(Node.KIND)) {
      return;
    }
    if (change.before().isEmpty() || change.after().isEmpty()
        || !change.before().get().metadata().uid().equals(change.after().get().metadata().uid())
        || !Objects.equals(idAnnotation(change.before().get()), idAnnotation(change.after().get()))
            && !nodeIds(change.before().get()).equals(nodeIds(change.after().get()))) {
      enqueue.accept(change.key());
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<Node> found = state.get(key, Node.class);
    Decision.Builder b = Decision.builder();
    if (found.isEmpty() || found.get().metadata().isDeleting()) {
      // The kubelet is gone: forget what it did, once its calls are over.
      for (String driver : drivers) {
        EffectId id = registerId(driver, key.name());
        state.operation(id).filter(op -> !op.inFlight()).ifPresent(op -> b.forget(id));
      }
      return b.build();
    }
    Node node = found.get();
    String uid = node.metadata().uid().orElse("");
    Map<String, String> registered = nodeIds(node);
    Map<String, CsiNodeRegistration> succeeded = new TreeMap<>();
    for (String driver : drivers) {
      EffectId id = registerId(driver, key.name());
      Optional<Operation> op = state.operation(id);
      if (op.isPresent() && op.get().inFlight()) {
        continue; // its outcome reconciles the node again
      }
      boolean sameNode = op.map(o -> o.effect() instanceof RegisterPlugin r && r.nodeUid().equals(uid)).orElse(false);
      if (op.isPresent() && !sameNode) {
        b.forget(id); // made for an earlier Node of that name
        op = Optional.empty();
      }
      if (op.isPresent() && op.get().succeeded()) {
        if (!op.get().reported()) {
          op.get().resultAs(CsiNodeRegistration.class).ifPresent(r -> succeeded.put(driver, r));
        }
        continue; // a refused plugin (reported) stays refused until the Node changes
      }
      if (registered.containsKey(driver)) {
        op.ifPresent(o -> b.forget(id)); // registered meanwhile (e.g. by a client): nothing to retry
        continue;
      }
      if (op.isPresent() && op.get().unreportedFailure()) {
        b.event(EventRecord.warning(SOURCE, key, FAILED_REGISTRATION,
            "RegisterPlugin error -- plugin registration failed with err: " + op.get().failure().get().text()));
        b.acknowledge(id);
      }
      // Started now, or when the failure's backoff is over (the runtime keeps the wait).
      b.effect(new RegisterPlugin(id, key, NAME, driver, key.name(), uid));
    }
    if (succeeded.isEmpty()) {
      return b.build();
    }
    Map<String, CsiNodeRegistration> accepted = new TreeMap<>();
    for (Map.Entry<String, CsiNodeRegistration> e : succeeded.entrySet()) {
      EffectId id = registerId(e.getKey(), key.name());
      Map<String, CsiNodeRegistration> with = new TreeMap<>(accepted);
      with.put(e.getKey(), e.getValue());
      try {
        objects(state, key.name(), with, migratedPlugins);
        accepted.put(e.getKey(), e.getValue());
        b.forget(id);
      } catch (IllegalStateException collision) {
        b.event(EventRecord.warning(SOURCE, key, FAILED_REGISTRATION,
            "RegisterPlugin error -- plugin registration failed with err: " + collision.getMessage()));
        b.acknowledge(id); // kept as refused: registering again would collide again
      }
    }
    for (ApiObject o : objects(state, key.name(), accepted, migratedPlugins)) {
      if (state.contains(ObjectKey.of(o))) {
        b.update(o);
      } else {
        b.create(o);
      }
    }
    return b.build();
  }

  /** The drivers registered on the node and their node ids, from its annotation. */
  /** The raw annotation: equal strings mean equal ids, without parsing them (most Node writes are status). */
  private static String idAnnotation(ApiObject node) {
    return node.metadata().annotations().get(CsiNodeRegistration.NODE_ID_ANNOTATION);
  }

  static Map<String, String> nodeIds(ApiObject node) {
    return parseIds(node.metadata().annotations().getOrDefault(CsiNodeRegistration.NODE_ID_ANNOTATION, ""));
  }

  /**
   * The Node and CSINode to write for the registrations on the node (each under its registered
   * driver name), or empty if the node does not exist.
   *
   * @param migratedPlugins the CSINode's {@value #MIGRATED_PLUGINS_ANNOTATION} (sorted,
   *     comma-separated in-tree plugin names; empty: no annotation)
   * @throws IllegalStateException on a topology label collision (the kubelet refuses the plugin)
   */
  public static List<ApiObject> objects(ClusterState state, String nodeName, Map<String, CsiNodeRegistration> regs,
      String migratedPlugins) {
    Optional<Node> node = state.get(ObjectKey.cluster(Node.KIND, nodeName), Node.class);
    if (node.isEmpty() || regs.isEmpty()) {
      return List.of();
    }
    Node n = node.get();
    Map<String, String> labels = new LinkedHashMap<>(n.metadata().labels());
    Map<String, String> ids = new TreeMap<>(parseIds(n.metadata().annotations().getOrDefault(CsiNodeRegistration.NODE_ID_ANNOTATION, "")));
    Optional<CSINode> existing = state.get(ObjectKey.cluster(CSINode.KIND, nodeName), CSINode.class);
    Map<String, CSINodeDriver> drivers = new TreeMap<>();
    existing.ifPresent(cn -> cn.spec().drivers().forEach(d -> drivers.put(d.name(), d)));
    for (Map.Entry<String, CsiNodeRegistration> e : regs.entrySet()) {
      CsiNodeRegistration r = e.getValue();
      for (Map.Entry<String, String> t : r.topologyLabels().entrySet()) {
        String old = labels.get(t.getKey());
        if (old != null && !old.equals(t.getValue())) {
          throw new IllegalStateException("topology value collision on node " + nodeName + ": label " + t.getKey()
              + " is " + old + ", driver " + e.getKey() + " reports " + t.getValue());
        }
        labels.put(t.getKey(), t.getValue());
      }
      ids.put(e.getKey(), r.nodeId());
      drivers.put(e.getKey(), new CSINodeDriver(e.getKey(), r.nodeId(), r.topologyKeys(),
          r.allocatableCount().map(c -> new VolumeNodeResources(Optional.of(c)))));
    }
    List<ApiObject> out = new ArrayList<>();
    Node updated = n.withMetadata(n.metadata().withLabels(ImmutableMap.copyOf(labels))
        .withAnnotation(CsiNodeRegistration.NODE_ID_ANNOTATION, toJson(ids)));
    if (!updated.equals(n)) {
      out.add(updated);
    }
    ObjectMeta meta = existing.map(CSINode::metadata).orElseGet(() -> ObjectMeta.named(nodeName)
        .withOwnerReferences(ImmutableList.of(new OwnerReference(Node.API_VERSION, Node.KIND, nodeName,
            n.metadata().uid().orElse(""), Optional.empty(), Optional.empty()))));
    meta = withMigratedPlugins(meta, migratedPlugins);
    CSINode cn = CSINodeBuilder.builder().metadata(meta)
        .spec(CSINodeSpecBuilder.builder().drivers(ImmutableList.copyOf(drivers.values())).build()).build();
    if (existing.isEmpty() || !existing.get().equals(cn)) {
      out.add(cn);
    }
    return out;
  }

  /** setMigrationAnnotation: the annotation set to the list, or removed when the list is empty. */
  private static ObjectMeta withMigratedPlugins(ObjectMeta meta, String migratedPlugins) {
    if (!migratedPlugins.isEmpty()) {
      return meta.withAnnotation(MIGRATED_PLUGINS_ANNOTATION, migratedPlugins);
    }
    return meta.withoutAnnotation(MIGRATED_PLUGINS_ANNOTATION);
  }

  private static Map<String, String> parseIds(String json) {
    Map<String, String> out = new TreeMap<>();
    String s = json.trim();
    if (s.length() < 2) {
      return out;
    }
    for (String part : s.substring(1, s.length() - 1).split(",")) {
      String[] kv = part.split(":", 2);
      if (kv.length == 2) {
        out.put(unquote(kv[0]), unquote(kv[1]));
      }
    }
    return out;
  }

  private static String unquote(String s) {
    String t = s.trim();
    return t.startsWith("\"") && t.endsWith("\"") && t.length() >= 2 ? t.substring(1, t.length() - 1) : t;
  }

  private static String toJson(Map<String, String> ids) {
    StringBuilder b = new StringBuilder("{");
    ids.forEach((k, v) -> {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append('"').append(k).append("\":\"").append(v).append('"');
    });
    return b.append('}').toString();
  }
}
