package io.volumekit.cli;

import io.volumekit.cli.cluster.ClusterOpener;
import io.volumekit.cli.error.CliException;
import io.volumekit.cli.kind.KindRegistry;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * The entry point of the {@code volumekit} executable.
 *
 * <pre>
 * volumekit apply -f examples/manifests/mysql-dynamic.yaml
 * volumekit get pv,pvc,pods
 * volumekit describe pvc mysql-data
 * </pre>
 *
 * <p>{@code examples/manifests/mysql.yaml} (the seed example) needs the driver
 * {@code kubernetes.io/my-driver}, which a fresh state lacks: its claim stays Pending with a
 * ProvisioningFailed event "no volume plugin matched name: kubernetes.io/my-driver", as Kubernetes
 * would report it.
 *
 * <p>Exit codes: 0 done, 1 refused (the message says why; nothing changed), 2 usage error.
 */
public final class Main {

  private Main() {}

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    logLevel(System.getenv("VOLUMEKIT_LOG"));
    boolean terminal = System.console() != null;
    int code = run(args, System.out, System.err, System.in, System.getenv(), terminal, io.volumekit.cli.engine.EngineClusters.opener());
    System.out.flush();
    System.exit(code);
  }

  /**
   * Sets the level of library logging (to stderr) from {@code $VOLUMEKIT_LOG}: {@code error},
   * {@code warn} (each retry with backoff), {@code info} or {@code debug} (one line per CSI call,
   * with the controller and object of the work). Unset or empty: off, the command's quiet default.
   * Must run before the first logger is made.
   */
  static void logLevel(String level) {
    if (level != null && !level.isBlank()) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.trim().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /**
   * Runs the command as the executable would, with the given streams and environment.
   *
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err, InputStream in, Map<String, String> env,
      boolean terminal, ClusterOpener opener) {
    VolumekitCommand.Context context =
        new VolumekitCommand.Context(out, err, in, env, terminal, opener, KindRegistry.STANDARD);
    CommandLine cli = new CommandLine(new VolumekitCommand(context));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler((ex, arguments) -> {
      err.println("error: " + usageMessage(ex));
      String verb = ex.getCommandLine().getCommandSpec().qualifiedName();
      err.println("See '" + verb + " --help' for usage.");
      return CliException.USAGE;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof CliException c) {
        c.lines().forEach(err::println);
        if (c.exitCode() == CliException.USAGE) {
          err.println("See '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        return c.exitCode();
      }
      err.println("error: " + describe(ex));
      if (env.containsKey("VOLUMEKIT_DEBUG")) {
        ex.printStackTrace(err);
      }
      return CliException.REFUSED;
    });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** picocli's message, except for an unknown verb, which reads as kubectl's. */
  private static String usageMessage(CommandLine.ParameterException ex) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u && u.getCommandLine().getParent() == null
        && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      return "unknown command \"" + u.getUnmatched().get(0) + "\" for \"volumekit\"";
    }
    return ex.getMessage();
  }

  private static String describe(Throwable ex) {
    StringBuilder msg = new StringBuilder(ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
    Throwable cause = ex.getCause();
    while (cause != null && cause != ex) {
      if (cause.getMessage() != null && !msg.toString().contains(cause.getMessage())) {
        msg.append(": ").append(cause.getMessage());
      }
      ex = cause;
      cause = cause.getCause();
    }
    return msg.toString();
  }
}
