package io.volumekit.cli;

import io.volumekit.cli.cluster.Cluster;
import io.volumekit.cli.cluster.ClusterConfig;
import io.volumekit.cli.cluster.ClusterOpener;
import io.volumekit.cli.cluster.EtcdTarget;
import io.volumekit.cli.error.CliException;
import io.volumekit.cli.kind.KindRegistry;
import io.volumekit.cli.state.StateDirectory;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code volumekit} command: kubectl's storage verbs over a state directory.
 *
 * <p>Each invocation locks the state, loads the saved objects into the engine (or sets up a fresh
 * one-node cluster), runs its verb, lets the engine settle after a change and saves the state
 * atomically. See docs/cli.md.
 */
@Command(
    name = "volumekit",
    mixinStandardHelpOptions = true,
    version = "volumekit 0.1.0",
    description = "Kubernetes storage semantics on your machine: apply, get, describe, delete, settle, metrics.",
    subcommands = {ApplyCommand.class, GetCommand.class, DescribeCommand.class, DeleteCommand.class,
        SettleCommand.class, MetricsCommand.class, ServeCommand.class},
    exitCodeOnInvalidInput = CliException.USAGE)
public final class VolumekitCommand implements Runnable {

  /** What the command reads and writes besides the state: streams, environment, the engine. */
  public record Context(
      PrintStream out, PrintStream err, InputStream in, Map<String, String> env, boolean terminal,
      ClusterOpener opener, KindRegistry kinds) {}

  private static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(30);

  /** Progress appears only for settles long enough to notice. */
  static final Duration PROGRESS_DELAY = Duration.ofMillis(300);

  final Context context;

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  VolumekitCommand(Context context) {
    this.context = context;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a verb is required: apply, get, describe, delete, settle, metrics or serve");
  }

  /** The work of a verb on the cluster; returns the exit code. */
  @FunctionalInterface
  interface Work {
    int run(Cluster cluster);
  }

  /**
   * Runs a verb's work with the state locked and the cluster loaded; saves when the work succeeded.
   *
   * @param verbOptions the global options given after the verb
   */
  int withCluster(GlobalOptions verbOptions, Work work) {
    return withCluster(verbOptions, false, work);
  }

  /**
   * Like {@link #withCluster(GlobalOptions, Work)}; a verb that only reads passes {@code readOnly}
   * so that the saved objects may be read without starting the engine.
   */
  int withCluster(GlobalOptions verbOptions, boolean readOnly, Work work) {
    return withCluster(verbOptions, readOnly, false, work);
  }

  /** Like {@link #withCluster(GlobalOptions, boolean, Work)}; {@code metrics} records the engine's metrics. */
  int withCluster(GlobalOptions verbOptions, boolean readOnly, boolean metrics, Work work) {
    GlobalOptions g = global.overriddenBy(verbOptions);
    ClusterConfig base = ClusterConfig.of(g.bare, g.csi, context.env());
    ClusterConfig config = metrics ? base.withMetrics() : base;
    Optional<EtcdTarget> etcd = g.etcd();
    if (etcd.isPresent()) {
      if (!g.csi.isEmpty()) {
        throw CliException.usage("--csi registers drivers on the nodes of the state directory; with --store, give it"
            + " to 'volumekit serve'");
      }
      try (Cluster cluster = context.opener().openOnEtcd(etcd.get(), config)) {
        return work.run(cluster);
      }
    }
    Duration wait = g.lockTimeoutSeconds == null ? DEFAULT_LOCK_WAIT : Duration.ofSeconds(g.lockTimeoutSeconds);
    try (StateDirectory dir = StateDirectory.open(StateDirectory.resolve(Optional.ofNullable(g.state), context.env()), wait);
        Cluster cluster = readOnly ? context.opener().openForReading(dir, config) : context.opener().open(dir, config)) {
      try {
        int code = work.run(cluster);
        if (code == 0) {
          cluster.save();
        }
        return code;
      } finally {
        cluster.warnings().forEach(w -> context.err().println("Warning: " + w));
      }
    }
  }

  /** Refuses a verb that runs the engine in this process when the cluster is in etcd ({@code --store}). */
  void refuseOnEtcd(GlobalOptions verbOptions, String verb) {
    if (global.overriddenBy(verbOptions).etcd().isPresent()) {
      throw CliException.usage(verb + " runs the controllers in this process; with --store the controllers run in"
          + " 'volumekit serve'");
    }
  }

  /**
   * kubectl's message for an empty listing (docs/cli.md, "Output and messages"): it names the
   * namespace only when one namespace of a namespaced kind was listed.
   */
  static String noResourcesFound(boolean inOneNamespace, String namespace) {
    return inOneNamespace ? "No resources found in " + namespace + " namespace." : "No resources found";
  }

  /** Settles the cluster, showing progress on a terminal only (after a short delay). */
  void settle(Cluster cluster) {
    ProgressReporter progress = new ProgressReporter(context.err(), context.terminal(), PROGRESS_DELAY);
    try {
      cluster.settle(progress);
    } finally {
      progress.finish();
    }
  }

}
