package io.volumekit.cli;

import io.volumekit.cli.cluster.ClusterConfig;
import io.volumekit.cli.cluster.EtcdTarget;
import io.volumekit.cli.engine.Server;
import io.volumekit.cli.error.CliException;
import io.volumekit.cli.state.StateDirectory;
import io.volumekit.store.etcd.LeaderElection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code volumekit serve --store etcd://... [--node NAME]... [--control-plane]}: runs the engine
 * over a cluster kept in etcd until SIGTERM or SIGINT, as the long-running processes of a
 * Kubernetes cluster do: node agents (kubelets) and control-plane candidates that elect a leader
 * (kube-controller-manager's {@code --leader-elect}, with its lease duration and retry period
 * options). On shutdown it leaves the election, revoking its lease so a standby takes over at
 * once, and closes the store.
 */
@Command(name = "serve", description = "Run the engine over a cluster in etcd until stopped (SIGTERM).",
    mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {

  /** How long the shutdown hook waits for the loop to leave the election and close. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

  @ParentCommand VolumekitCommand root;

  @Mixin GlobalOptions global;

  @Option(names = "--node", paramLabel = "NAME", description = "Be the kubelet of this node (repeatable).")
  List<String> nodes = new ArrayList<>();

  @Option(names = "--control-plane", description = "Campaign for the control plane and run it while elected.")
  boolean controlPlane;

  @Option(names = "--identity", paramLabel = "NAME",
      description = "This process's name in the leader key (default: HOST-PID).")
  String identity;

  @Option(names = "--leader-elect-lease-duration", paramLabel = "SECONDS",
      description = "How long the leader's lease outlives its last renewal (default: 15).")
  int leaseSeconds = 15;

  @Option(names = "--leader-elect-retry-period", paramLabel = "MILLISECONDS",
      description = "How often a standby tries to become the leader (default: 2000).")
  long retryMillis = 2000;

  @Override
  public Integer call() throws InterruptedException {
    GlobalOptions g = root.global.overriddenBy(global);
    EtcdTarget target = g.etcd().orElseThrow(() -> CliException.usage(
        "serve needs a cluster in etcd: --store etcd://HOST:PORT[,HOST:PORT...][/PREFIX]"));
    if (nodes.isEmpty() && !controlPlane) {
      throw CliException.usage("serve runs the control plane (--control-plane), node agents (--node NAME), or both");
    }
    LeaderElection.Options election;
    try {
      election = new LeaderElection.Options(Duration.ofSeconds(leaseSeconds), Duration.ofMillis(retryMillis));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    VolumekitCommand.Context ctx = root.context;
    ClusterConfig cluster = ClusterConfig.of(g.bare, g.csi, ctx.env());
    Server.Config config = new Server.Config(target, StateDirectory.resolve(Optional.ofNullable(g.state), ctx.env()),
        nodes, controlPlane, identity != null ? identity : defaultIdentity(), cluster, election);
    Server server = Server.start(config);
    ctx.err().println("serving " + describe(config) + " on " + target + " as " + config.identity());
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      server.stop();
      try {
        closed.await(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "volumekit-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      server.run();
    } finally {
      try {
        server.close();
        ctx.err().println("stopped");
      } finally {
        closed.countDown();
      }
    }
    return 0;
  }

  private String describe(Server.Config config) {
    List<String> parts = new ArrayList<>();
    if (config.controlPlane()) {
      parts.add("the control plane (when elected)");
    }
    if (!config.nodes().isEmpty()) {
      parts.add("node " + String.join(", ", config.nodes()));
    }
    return String.join(" and ", parts);
  }

  private static String defaultIdentity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
