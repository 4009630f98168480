package io.volumekit.cli.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volumekit.cli.cluster.ClusterConfig;
import io.volumekit.cli.cluster.EtcdTarget;
import io.volumekit.cli.error.CliException;
import io.volumekit.core.Role;
import io.volumekit.model.core.Node;
import io.volumekit.store.etcd.EtcdStore;
import io.volumekit.store.etcd.FencedException;
import io.volumekit.store.etcd.LeaderElection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of {@code volumekit serve}: a long-running process over a cluster kept in etcd, doing
 * the part of the work its role names, as the processes of a Kubernetes cluster divide it.
 *
 * <ul>
 *   <li>With nodes ({@code --node}), a node agent (a kubelet for each): it registers the Node if
 *       absent (kubelet self-registration), posts its status, registers the CSI drivers' node
 *       plugins and runs the kubelet controllers for those nodes only. It needs no election.
 *   <li>With {@code --control-plane}, a candidate for the control plane (kube-controller-manager,
 *       scheduler, CSI sidecars): it campaigns with a {@link LeaderElection} and runs the
 *       control-plane controllers only while it leads. A deposed leader's engine is discarded
 *       and a new one campaigns again, since the work the old one had in flight belongs to the
 *       old term.
 * </ul>
 *
 * <p>Each part has its own etcd client and snapshot, so a control plane that lost its lease (its
 * writes fenced) does not stop the node agent beside it. The loop settles each part when a change
 * arrives from etcd, when the election changes, and at least every second (retries with backoff).
 * {@link #stop()} ends the loop; {@link #close()} leaves the election (revoking the lease, so a
 * standby takes over at once) and closes the stores.
 */
public final class Server implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Server.class);

  /**
   * How long {@link #start} waits for each {@code --csi} driver to answer Probe: its engines are
   * built once with the drivers that answered, so a driver still starting is waited for (at
   * least this long, or {@code volumekit.csi.probeTimeout} if longer) and one that never answers
   * stops the server.
   */
  private static final Duration DRIVER_WAIT = Duration.ofSeconds(60);

  /** The longest the loop waits without news: retries and periodic work are due by then. */
  private static final Duration IDLE = Duration.ofSeconds(1);

  /**
   * What to serve.
   *
   * @param target the etcd cluster and prefix
   * @param state the directory of the node side's files (kubelet directory, embedded driver data)
   * @param nodes the nodes whose kubelet this process is (may be empty)
   * @param controlPlane whether this process campaigns for the control plane
   * @param identity this process's name in the leader key
   * @param cluster the drivers ({@code --csi}) and mount mode
   * @param election the election's timing
   */
  public record Config(EtcdTarget target, Path state, List<String> nodes, boolean controlPlane, String identity,
      ClusterConfig cluster, LeaderElection.Options election) {
    public Config {
      nodes = List.copyOf(nodes);
      if (nodes.isEmpty() && !controlPlane) {
        throw new IllegalArgumentException("serve runs the control plane (--control-plane), node agents (--node), or both");
      }
    }

    /**
     * Whether the embedded hostpath driver is served: it keeps its volume index in the process,
     * so only a process that is both the control plane and the node agent can use it.
     */
    boolean embeddedDriver() {
      return controlPlane && !nodes.isEmpty();
    }
  }

  private final Config config;
  private final List<NodeDriver> drivers;
  private final List<AutoCloseable> driverClients;
  private final Object signal = new Object();

  // Guarded by signal.
  private boolean stopping;
  private boolean woken;

  private Optional<Part> agent = Optional.empty();
  private Optional<Part> controlPlane = Optional.empty();
  private Optional<LeaderElection> election = Optional.empty();
  private volatile boolean deposed;

  /** One engine with its own store: the node agent, or the control plane of one term. */
  private record Part(EtcdStore store, EngineCluster engine) implements AutoCloseable {
    @Override
    public void close() {
      EngineCluster.closeAll(List.of(engine, store));
    }
  }

  private Server(Config config, List<NodeDriver> drivers, List<AutoCloseable> driverClients) {
    this.config = config;
    this.drivers = drivers;
    this.driverClients = driverClients;
  }

  /**
   * Connects to the drivers and etcd, registers the nodes, and begins campaigning; {@link #run()}
   * then does the work. A {@code --csi} driver that does not answer Probe within a minute is an
   * error ({@link CliException}).
   */
  public static Server start(Config config) {
    List<NodeDriver> drivers = new ArrayList<>();
    List<AutoCloseable> clients = new ArrayList<>();
    if (config.embeddedDriver()) {
      drivers.add(EngineClusters.embedded(config.state(), config.cluster()));
    }
    java.util.Map<String, String> external = new java.util.LinkedHashMap<>();
    config.cluster().externalDrivers().forEach(d -> external.put(d.name(), d.endpoint()));
    List<String> unreachable = new ArrayList<>();
    Duration probe = EngineClusters.probeTimeout().compareTo(DRIVER_WAIT) > 0 ? EngineClusters.probeTimeout() : DRIVER_WAIT;
    EngineClusters.connect(external, probe, drivers, clients, unreachable);
    if (!unreachable.isEmpty()) {
      EngineCluster.closeAll(clients);
      throw CliException.error(String.join("; ", unreachable));
    }
    Server server = new Server(config, drivers, clients);
    try {
      if (!config.nodes().isEmpty()) {
        server.agent = Optional.of(server.part(Role.nodeAgent(config.nodes().toArray(String[]::new))));
        server.registerNodes();
      }
      if (config.controlPlane()) {
        server.campaign();
      }
    } catch (RuntimeException e) {
      try {
        server.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return server;
  }

  /** Whether this process leads the control plane now. */
  public boolean leading() {
    return election.map(LeaderElection::isLeader).orElse(false);
  }

  private Part part(Role role) {
    // A node agent's store holds only its nodes' pods, as the kubelet watches them.
    EtcdStore store = EngineClusters.openStore(config.target(),
        role.runsControlPlane() ? Set.of() : role.agentNodes().orElse(Set.of()));
    try {
      EngineCluster engine = EngineCluster.onStore(config.state(), store, Optional.of(role), drivers, List.of());
      store.onRemoteChange(this::wake);
      return new Part(store, engine);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Creates this process's Nodes if absent (kubelet self-registration) and registers the drivers on them. */
  private void registerNodes() {
    EngineCluster engine = agent.orElseThrow().engine();
    for (String node : config.nodes()) {
      if (engine.kit().get(Node.class, "", node).isEmpty()) {
        engine.writeAsController(node(node));
      }
    }
    engine.registerDrivers();
  }

  private static ObjectNode node(String name) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", "v1").put("kind", Node.KIND);
    ObjectNode meta = o.putObject("metadata").put("name", name);
    meta.putObject("labels").put("kubernetes.io/hostname", name).put("kubernetes.io/os", "linux");
    return o;
  }

  /** A new control-plane engine and its election (at start, and after a deposition). */
  private void campaign() {
    Part cp = part(Role.controlPlane());
    controlPlane = Optional.of(cp);
    deposed = false;
    election = Optional.of(LeaderElection.of(cp.store(), config.identity(), config.election())
        .onElected(this::wake)
        .onDeposed(() -> {
          deposed = true;
          wake();
        })
        .begin());
  }

  private void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  /** Settles the parts until {@link #stop()}. */
  public void run() throws InterruptedException {
    while (true) {
      synchronized (signal) {
        if (stopping) {
          return;
        }
        woken = false;
      }
      agent.ifPresent(a -> settle(a, "node agent"));
      if (deposed) {
        LOG.warn("{} was deposed; campaigning again with a new control-plane engine", config.identity());
        leaveElection();
        try {
          campaign();
        } catch (RuntimeException e) {
          LOG.warn("{}: cannot campaign again yet (etcd unreachable?); retrying", config.identity(), e);
        }
      } else if (leading()) {
        try {
          settle(controlPlane.orElseThrow(), "control plane");
        } catch (FencedException e) {
          LOG.warn("{}: a write was fenced: another process leads now", config.identity());
          deposed = true;
        }
      }
      synchronized (signal) {
        if (!woken && !stopping) {
          signal.wait(IDLE.toMillis());
        }
      }
    }
  }

  private void settle(Part part, String what) {
    try {
      part.engine().kit().settle();
    } catch (FencedException e) {
      throw e;
    } catch (RuntimeException e) {
      // The runtime retries failed writes and effects itself; what escapes is reported and the
      // loop goes on (etcd unavailable for longer than the request timeout, for instance).
      LOG.warn("{}: settling the {} failed; retrying", config.identity(), what, e);
    }
  }

  /** Ends {@link #run()} (from another thread, e.g. a shutdown hook). */
  public void stop() {
    synchronized (signal) {
      stopping = true;
      signal.notifyAll();
    }
  }

  private void leaveElection() {
    election.ifPresent(LeaderElection::close);
    election = Optional.empty();
    controlPlane.ifPresent(Part::close);
    controlPlane = Optional.empty();
  }

  /** Leaves the election (revoking the lease) and closes the stores and driver connections. */
  @Override
  public void close() {
    leaveElection();
    agent.ifPresent(Part::close);
    agent = Optional.empty();
    EngineCluster.closeAll(driverClients);
  }

  @Override
  public String toString() {
    return "Server[" + Objects.toString(config.identity()) + "]";
  }
}
