package io.volumekit.testkit.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real etcd server process for tests, on free loopback ports with a temporary data directory
 * that {@link #close()} deletes.
 *
 * <p>The binary is {@code $VOLUMEKIT_ETCD}, else {@code /usr/bin/etcd}, else {@code etcd} on the
 * PATH (Debian and Ubuntu: {@code apt-get install etcd-server}). When none is installed, a test
 * that needs etcd is aborted (reported as skipped, with the reason), except when the environment
 * variable {@code CI} is {@code true}: then it fails, so a CI run never passes without it.
 *
 * <p>Fault tests use {@link #kill()}, {@link #restart()}, {@link #pause()} and {@link #resume()}
 * (SIGKILL, a start on the same data and port, SIGSTOP, SIGCONT).
 */
public final class EtcdServer implements AutoCloseable {

  private static final Duration READY = Duration.ofSeconds(30);

  private final Path binary;
  private final Path dataDir;
  private final int clientPort;
  private final int peerPort;
  private Process process;

  private EtcdServer(Path binary, Path dataDir, int clientPort, int peerPort) {
    this.binary = binary;
    this.dataDir = dataDir;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  /** The etcd binary, if one is installed. */
  public static Optional<Path> binary() {
    String env = System.getenv("VOLUMEKIT_ETCD");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env)).filter(Files::isExecutable);
    }
    Path usr = Path.of("/usr/bin/etcd");
    if (Files.isExecutable(usr)) {
      return Optional.of(usr);
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path p = Path.of(dir, "etcd");
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Starts etcd and waits until it serves. Aborts the calling test when etcd is not installed, or
   * fails it when {@code CI=true}.
   */
  public static EtcdServer start() {
    return startIn(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * {@link #start()} with the data directory under {@code parent}: a benchmark may put it on a
   * tmpfs ({@code /dev/shm}), where etcd's fsync of its write-ahead log costs nothing (etcd
   * 3.4 has no {@code --unsafe-no-fsync}). Such an etcd loses its data with the machine: for
   * measuring only.
   */
  public static EtcdServer startIn(Path parent) {
    Optional<Path> bin = binary();
    if (bin.isEmpty()) {
      String why = "etcd is not installed (looked at $VOLUMEKIT_ETCD, /usr/bin/etcd and the PATH);"
          + " install it with: apt-get install etcd-server";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why + " (CI=true: a test that needs etcd fails without it)");
      }
      Assumptions.abort(why);
    }
    try {
      Path dir = Files.createTempDirectory(parent, "volumekit-etcd-");
      EtcdServer server = new EtcdServer(bin.get(), dir, freePort(), freePort());
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The client URL, e.g. {@code http://127.0.0.1:40123}. */
  public String endpoint() {
    return "http://127.0.0.1:" + clientPort;
  }

  /** The process id of the running etcd (a benchmark reads its CPU time from {@code /proc}). */
  public long pid() {
    return process.pid();
  }

  /** The client port. */
  public int port() {
    return clientPort;
  }

  private void launch() {
    String peer = "http://127.0.0.1:" + peerPort;
    List<String> cmd = new ArrayList<>(List.of(binary.toString(),
        "--name", "volumekit-test",
        "--data-dir", dataDir.resolve("data").toString(),
        "--listen-client-urls", endpoint(),
        "--advertise-client-urls", endpoint(),
        "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "volumekit-test=" + peer,
        "--initial-cluster-state", "new"));
    try {
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("etcd.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    awaitHealthy();
  }

  private void awaitHealthy() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("etcd exited with " + process.exitValue() + "; see " + log());
      }
      try {
        HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for etcd", e);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50); // polling for readiness, not timing a behaviour
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for etcd", e);
      }
    }
    throw new IllegalStateException("etcd did not become healthy within " + READY + "; see " + log());
  }

  /** etcd's log file. */
  public Path log() {
    return dataDir.resolve("etcd.log");
  }

  /** SIGKILL: etcd stops at once, as in a crash. */
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** Kills etcd (if running) and starts it again on the same port and data. */
  public void restart() {
    if (process.isAlive()) {
      kill();
    }
    launch();
  }

  /** SIGSTOP: etcd keeps its connections but answers nothing until {@link #resume()}. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String sig) {
    try {
      Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void waitFor() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("etcd did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * One etcd for all the tests of a class: {@code @RegisterExtension static final
   * EtcdServer.PerClass ETCD = new EtcdServer.PerClass();} starts it before the first test (or
   * aborts them when etcd is not installed, see {@link #start()}) and closes it after the last.
   */
  public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
    private EtcdServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
      server = start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
      if (server != null) {
        server.close();
        server = null;
      }
    }

    /** The running server. */
    public EtcdServer server() {
      if (server == null) {
        throw new IllegalStateException("etcd is not running (register PerClass as a static extension)");
      }
      return server;
    }
  }

  /** Stops etcd and deletes its data directory. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dataDir, e);
    }
  }
}
