package io.volumekit.benchmarks;

import io.volumekit.store.etcd.EtcdStore;
import io.volumekit.store.etcd.LeaderElection;
import io.volumekit.testkit.etcd.EtcdServer;
import java.time.Duration;

/**
 * Failover time (docs/performance.md): a leader's etcd client is closed without resigning (as when
 * its process is killed: the lease is not revoked), and the time until the standby is elected is
 * measured, for a few lease TTLs. Not a JMH benchmark: one takeover takes about a TTL, and its
 * wall time is the figure.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.volumekit.benchmarks.FailoverTime [ttlSeconds...]}
 */
public final class FailoverTime {

  private FailoverTime() {}

  public static void main(String[] args) throws Exception {
    int[] ttls = args.length == 0 ? new int[] {2, 5} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    int runs = 3;
    try (EtcdServer etcd = EtcdServer.start()) {
      int cluster = 0;
      for (int ttl : ttls) {
        LeaderElection.Options options = new LeaderElection.Options(Duration.ofSeconds(ttl), Duration.ofMillis(100));
        for (int run = 0; run < runs; run++) {
          String prefix = "/failover/c" + (++cluster);
          EtcdStore a = EtcdStore.connect(etcd.endpoint()).prefix(prefix)
              .operationFormat(EtcdStoreBenchmark.NO_EFFECTS).open();
          EtcdStore b = EtcdStore.connect(etcd.endpoint()).prefix(prefix)
              .operationFormat(EtcdStoreBenchmark.NO_EFFECTS).open();
          LeaderElection ea = LeaderElection.of(a, "a", options).begin();
          if (!ea.awaitLeadership(Duration.ofSeconds(30))) {
            throw new IllegalStateException("a was not elected");
          }
          LeaderElection eb = LeaderElection.of(b, "b", options).begin();
          long start = System.nanoTime();
          a.close(); // the process dies: no more renewals, the lease is not revoked
          if (!eb.awaitLeadership(Duration.ofSeconds(ttl * 4L + 30))) {
            throw new IllegalStateException("b did not take over");
          }
          long ms = (System.nanoTime() - start) / 1_000_000;
          System.out.printf("ttl=%ds retry=100ms run=%d takeover=%d ms%n", ttl, run + 1, ms);
          eb.close();
          b.close();
        }
      }
    }
  }
}
