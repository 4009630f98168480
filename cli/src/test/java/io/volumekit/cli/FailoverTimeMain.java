package io.volumekit.cli;

import io.volumekit.testkit.etcd.EtcdServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Failover time with real processes (docs/performance.md): two {@code volumekit serve
 * --control-plane} processes on one etcd; the leader is killed with SIGKILL (its lease is not
 * revoked) and the time until the standby holds the leader key is measured; a new standby is then
 * started, and so on. Prints each takeover and the p50/p99, with the machine's load average.
 *
 * <p>Run from the cli module's test classpath: {@code java -cp <test classpath>
 * io.volumekit.cli.FailoverTimeMain [kills=20]}. The processes run with the harness's lease
 * duration (2 s) and retry period (100 ms).
 */
public final class FailoverTimeMain {

  private FailoverTimeMain() {}

  public static void main(String[] args) throws Exception {
    int kills = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path dir = Files.createTempDirectory("volumekit-failover-");
    System.out.println("load average at start: " + loadAverage());
    List<Long> takeovers = new ArrayList<>();
    try (EtcdServer etcd = EtcdServer.start();
        EtcdClusterHarness cluster = new EtcdClusterHarness(etcd, "/volumekit/failover", dir)) {
      int started = 0;
      Process leader = cluster.serve("p" + started, "--control-plane");
      String leaderName = "p" + started++;
      await(cluster, leaderName);
      for (int kill = 1; kill <= kills; kill++) {
        String standbyName = "p" + started++;
        Process standby = cluster.serve(standbyName, "--control-plane");
        if (!cluster.await(() -> cluster.output(standbyName).contains("serving"))) {
          throw new IllegalStateException(standbyName + " did not start:\n" + cluster.output(standbyName));
        }
        long t0 = System.nanoTime();
        leader.destroyForcibly(); // SIGKILL: no resignation, the lease runs out
        await(cluster, standbyName);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        takeovers.add(ms);
        System.out.printf("kill %d: %s -> %s in %d ms%n", kill, leaderName, standbyName, ms);
        leader.waitFor();
        leader = standby;
        leaderName = standbyName;
      }
    }
    List<Long> sorted = new ArrayList<>(takeovers);
    Collections.sort(sorted);
    System.out.printf("lease 2 s, retry 100 ms, %d kills: min %d ms, p50 %d ms, p99 %d ms, max %d ms%n",
        sorted.size(), sorted.get(0), percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1));
    System.out.println("load average at end: " + loadAverage());
  }

  /** Polls the leader key (each poll is an etcd round trip) until {@code name} holds it. */
  private static void await(EtcdClusterHarness cluster, String name) throws Exception {
    long deadline = System.nanoTime() + EtcdClusterHarness.WAIT.toNanos();
    while (!cluster.leader().equals(Optional.of(name))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " was not elected:\n" + cluster.output(name));
      }
    }
  }

  /** The nearest-rank percentile. */
  private static long percentile(List<Long> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static String loadAverage() throws java.io.IOException {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }
}
