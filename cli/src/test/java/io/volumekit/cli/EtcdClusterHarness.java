package io.volumekit.cli;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.volumekit.cli.engine.JsonOperationFormat;
import io.volumekit.store.etcd.EtcdStore;
import io.volumekit.testkit.etcd.EtcdServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One cluster in a real etcd for the command's tests: CLI invocations with {@code --store}, real
 * {@code volumekit serve} processes (java on the test classpath), and a view of the cluster (an
 * {@link EtcdStore} and a raw client) to await what the processes did.
 */
final class EtcdClusterHarness implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(90);

  private final EtcdServer etcd;
  private final String prefix;
  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final EtcdStore view;
  private final Client raw;

  EtcdClusterHarness(EtcdServer etcd, String prefix, Path dir) {
    this.etcd = etcd;
    this.prefix = prefix;
    this.dir = dir;
    this.view = EtcdStore.connect(etcd.endpoint()).prefix(prefix).operationFormat(new JsonOperationFormat()).open();
    this.raw = Client.builder().endpoints(etcd.endpoint()).build();
    view.onRemoteChange(() -> {
      synchronized (this) {
        notifyAll();
      }
    });
  }

  /** The {@code --store} value of this cluster. */
  String store() {
    return "etcd://127.0.0.1:" + etcd.port() + prefix;
  }

  /** A CLI invocation on this cluster (in this JVM), as a client. */
  Cli.Result cli(String... args) {
    return cliWithInput("", args);
  }

  /** A CLI invocation on this cluster with {@code stdin} as its standard input (for {@code -f -}). */
  Cli.Result cliWithInput(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--store", store()));
    all.addAll(List.of(args));
    return new Cli(dir.resolve("client")).runWithInput(stdin, all.toArray(String[]::new));
  }

  /** Starts {@code volumekit serve --store ... --state <dir>/<name> args} as a process; its output goes to {@link #output}. */
  Process serve(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "serve", "--store", store(), "--state", dir.resolve(name).toString(),
        "--identity", name, "--leader-elect-lease-duration", "2", "--leader-elect-retry-period", "100"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile());
    pb.environment().put("VOLUMEKIT_MOUNT_MODE", "symlink");
    pb.environment().put("VOLUMEKIT_LOG", "warn");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private Path log(String name) {
    return dir.resolve(name + ".log");
  }

  /** What the serve process {@code name} printed so far. */
  String output(String name) {
    try {
      return Files.exists(log(name)) ? Files.readString(log(name)) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The view of the cluster: a store of its own, kept current by its watch. */
  EtcdStore view() {
    return view;
  }

  /** The identity in the leader key, if a leader is elected. */
  Optional<String> leader() throws Exception {
    List<KeyValue> kvs = raw.getKVClient().get(ByteSequence.from(prefix + "/_leader", StandardCharsets.UTF_8))
        .get(10, TimeUnit.SECONDS).getKvs();
    return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0).getValue().toString(StandardCharsets.UTF_8));
  }

  /**
   * Every key of this cluster but the leader key, with its modification revision: equal maps mean
   * nothing of the cluster (objects and operations) was written in between.
   */
  Map<String, Long> revisions() throws Exception {
    Map<String, Long> out = new TreeMap<>();
    for (KeyValue kv : raw.getKVClient().get(ByteSequence.from(prefix + "/", StandardCharsets.UTF_8),
        GetOption.builder().isPrefix(true).withKeysOnly(true).build()).get(10, TimeUnit.SECONDS).getKvs()) {
      String key = kv.getKey().toString(StandardCharsets.UTF_8);
      if (!key.equals(prefix + "/_leader")) {
        out.put(key, kv.getModRevision());
      }
    }
    return out;
  }

  /** Sends {@code kill -SIG} to a process: {@code STOP} pauses it as a long GC pause would, {@code CONT} resumes it. */
  static void signal(Process p, String sig) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
    if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + sig + " " + p.pid() + " failed");
    }
  }

  /**
   * Waits until the condition holds, re-checking whenever the view's watch brings a change (and
   * at least every 100 ms, for conditions outside the view such as the leader key); false if
   * {@link #WAIT} passed first.
   */
  synchronized boolean await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
    }
    return true;
  }

  /** Kills what is still running (SIGKILL) and closes the view. */
  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
    view.close();
    raw.close();
  }
}
