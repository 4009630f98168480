package io.volumekit.cli.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.apply.Manifests;
import io.volumekit.cli.cluster.Cluster;
import io.volumekit.cli.cluster.ClusterConfig;
import io.volumekit.cli.cluster.ClusterOpener;
import io.volumekit.cli.cluster.EtcdTarget;
import io.volumekit.cli.cluster.SavedCluster;
import io.volumekit.cli.error.CliException;
import io.volumekit.cli.state.ObjectFile;
import io.volumekit.cli.state.StateDirectory;
import io.volumekit.core.csi.CsiException;
import io.volumekit.csi.client.GrpcCsiDriver;
import io.volumekit.csi.hostpath.HostPathConfig;
import io.volumekit.csi.hostpath.HostPathDriver;
import io.volumekit.store.etcd.EtcdStore;
import io.volumekit.store.etcd.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Opens the engine over a state directory: the embedded hostpath driver, the external drivers registered
 * with {@code --csi} (remembered in {@code <state>/csi-drivers.json}), and the fresh one-node
 * cluster of a new state.
 */
public final class EngineClusters {

  /** The name of the embedded driver, the provisioner of the {@code standard} StorageClass. */
  public static final String EMBEDDED_DRIVER = "hostpath.csi.volumekit.io";

  /** The first node of a fresh state; its hostpath instance answers identity calls before any other exists. */
  static final String FIRST_NODE = "node-1";

  /**
   * How long an external driver may take to answer Probe before the command goes on without it:
   * the system property {@value #PROBE_TIMEOUT_PROPERTY} (seconds), default 2 (a slow machine or a
   * driver that starts slowly may want more).
   */
  static Duration probeTimeout() {
    return Duration.ofSeconds(Math.max(1, Long.getLong(PROBE_TIMEOUT_PROPERTY, 2)));
  }

  /** The system property that sets {@link #probeTimeout()}. */
  public static final String PROBE_TIMEOUT_PROPERTY = "volumekit.csi.probeTimeout";

  /** Where the external drivers' endpoints are remembered. */
  public static final String EXTERNAL_DRIVERS_FILE = "csi-drivers.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A fresh state like a one-node kind cluster (docs/cli.md). */
  static final String FRESH_STATE = """
      apiVersion: v1
      kind: Node
      metadata:
        name: node-1
        labels:
          kubernetes.io/hostname: node-1
          kubernetes.io/os: linux
          node-role.kubernetes.io/control-plane: ""
      ---
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata:
        name: standard
        annotations:
          storageclass.kubernetes.io/is-default-class: "true"
      provisioner: %s
      reclaimPolicy: Delete
      volumeBindingMode: WaitForFirstConsumer
      allowVolumeExpansion: true
      """.formatted(EMBEDDED_DRIVER);

  private EngineClusters() {}

  /** The opener the executable uses. */
  public static ClusterOpener opener() {
    return new ClusterOpener() {
      @Override
      public Cluster open(StateDirectory dir, ClusterConfig config) {
        return EngineClusters.open(dir, config);
      }

      @Override
      public Cluster openForReading(StateDirectory dir, ClusterConfig config) {
        // A saved state needs no engine to be read, unless new --csi drivers are to be registered.
        Optional<ObjectFile.Saved> saved = config.externalDrivers().isEmpty() ? ObjectFile.load(dir) : Optional.empty();
        return saved.<Cluster>map(s -> new SavedCluster(s, Clock.systemUTC())).orElseGet(() -> open(dir, config));
      }

      @Override
      public Cluster openOnEtcd(EtcdTarget target, ClusterConfig config) {
        return EngineClusters.openClient(target);
      }
    };
  }

  /**
   * A client of the cluster in etcd, as kubectl is of an API server: reads and writes objects,
   * runs no controller (a {@code volumekit serve} process does the work).
   */
  static Cluster openClient(EtcdTarget target) {
    EtcdStore store = openStore(target);
    return EngineCluster.onStore(Path.of("."), store, Optional.empty(), List.of(), List.of(store));
  }

  /** Opens the etcd store of {@code target} with the CLI's operation format. */
  static EtcdStore openStore(EtcdTarget target) {
    return openStore(target, Set.of());
  }

  /**
   * Opens the etcd store of {@code target}; with {@code podsOfNodes}, a node agent's store that
   * lists and watches only those nodes' pods.
   */
  static EtcdStore openStore(EtcdTarget target, Set<String> podsOfNodes) {
    try {
      EtcdStore.Builder b = EtcdStore.connect(target.endpoints().toArray(String[]::new)).prefix(target.prefix())
          .operationFormat(new JsonOperationFormat());
      return (podsOfNodes.isEmpty() ? b : b.podsOfNodes(podsOfNodes.toArray(String[]::new))).open();
    } catch (StoreUnavailableException e) {
      throw CliException.error("cannot reach etcd at " + target + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid --store \"" + target + "\": " + e.getMessage());
    }
  }

  private static Cluster open(StateDirectory dir, ClusterConfig config) {
    List<AutoCloseable> resources = new ArrayList<>();
    List<NodeDriver> drivers = new ArrayList<>();
    drivers.add(embedded(dir.path(), config));
    List<String> unreachable = new ArrayList<>();
    connect(externalDrivers(dir, config), probeTimeout(), drivers, resources, unreachable);
    List<ObjectNode> fresh = config.bare()
        ? List.of()
        : Manifests.parse(FRESH_STATE, "fresh state").stream().map(Manifests.Manifest::object).toList();
    try {
      EngineCluster cluster = EngineCluster.open(dir, drivers, fresh, resources, config.metrics());
      unreachable.forEach(cluster::warn);
      return cluster;
    } catch (RuntimeException e) {
      try {
        EngineCluster.closeAll(resources);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * The mutable parameters (VolumeAttributesClass {@code parameters}) the embedded hostpath driver
   * accepts; it records them, and refuses any other key with INVALID_ARGUMENT (Infeasible).
   */
  public static final java.util.Set<String> EMBEDDED_MUTABLE_PARAMETERS = java.util.Set.of("iops", "throughput");

  /**
   * The embedded hostpath driver, one instance per node as its DaemonSet runs it, each with its own
   * node id and topology segment and keeping its volumes under {@code <state>/csi/hostpath/<node>}.
   * Volumes are node-local, so provisioning is distributed as external-provisioner's {@code
   * --node-deployment} mode does it ({@link NodeLocalDriver}): the instance of the claim's selected
   * node creates the volume, the instance of the volume's node deletes it.
   */
  static NodeDriver embedded(Path state, ClusterConfig config) {
    Path root = state.resolve("csi").resolve("hostpath");
    Map<String, HostPathDriver> instances = new ConcurrentHashMap<>();
    Function<String, HostPathDriver> instance = node -> instances.computeIfAbsent(node,
        n -> new HostPathDriver(HostPathConfig.of(root.resolve(n), n).withMountMode(config.mountMode())
            .withMutableParameterKeys(EMBEDDED_MUTABLE_PARAMETERS)));
    NodeLocalDriver controller = new NodeLocalDriver(root, HostPathDriver.TOPOLOGY_KEY, instance, FIRST_NODE);
    return new NodeDriver(EMBEDDED_DRIVER, controller, instance::apply, true);
  }

  /**
   * Connects to the external drivers ({@code name -> unix:// endpoint}), adding each that answers
   * Probe within {@code probe} to {@code drivers} and a message for each that does not to {@code
   * unreachable}.
   */
  static void connect(Map<String, String> external, Duration probe, List<NodeDriver> drivers,
      List<AutoCloseable> resources, List<String> unreachable) {
    external.forEach((name, endpoint) -> {
      if (name.equals(EMBEDDED_DRIVER)) {
        throw CliException.usage("--csi " + name + ": that name belongs to the embedded driver");
      }
      GrpcCsiDriver client = GrpcCsiDriver.connect(endpoint);
      resources.add(client);
      try {
        client.awaitReady(probe);
        drivers.add(new NodeDriver(name, client, node -> client, false));
      } catch (CsiException e) {
        // As a kubelet whose plugin does not answer: work for this driver waits for a later invocation.
        unreachable.add("CSI driver " + name + " at " + endpoint + " is not ready: " + e.getMessage());
      }
    });
  }

  /** The remembered external drivers plus those of this command line, saved when new ones were given. */
  private static Map<String, String> externalDrivers(StateDirectory dir, ClusterConfig config) {
    Map<String, String> drivers = new LinkedHashMap<>();
    dir.read(EXTERNAL_DRIVERS_FILE).ifPresent(bytes -> {
      try {
        JsonNode saved = JSON.readTree(bytes);
        saved.properties().forEach(e -> drivers.put(e.getKey(), e.getValue().asText()));
      } catch (IOException e) {
        throw CliException.error("cannot read " + dir.path().resolve(EXTERNAL_DRIVERS_FILE) + ": " + e.getMessage());
      }
    });
    boolean changed = false;
    for (ClusterConfig.ExternalDriver d : config.externalDrivers()) {
      if (d.name().equals(EMBEDDED_DRIVER)) {
        throw CliException.usage("--csi " + d.name() + ": that name belongs to the embedded driver");
      }
      changed |= !d.endpoint().equals(drivers.put(d.name(), d.endpoint()));
    }
    if (changed) {
      try {
        dir.write(EXTERNAL_DRIVERS_FILE, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(drivers)
            .getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return drivers;
  }
}
