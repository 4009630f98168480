package io.volumekit.benchmarks;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.runtime.SettleResult;
import io.volumekit.core.store.Store;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.testkit.etcd.EtcdServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The etcd store against the in-memory one in one run (docs/performance.md): single-writer
 * creates and updates per second, then binding N pending claims to N available PVs in one
 * {@code settle()}, each through {@code InMemoryStore} and through {@code EtcdStore} on a real
 * single-member etcd (loopback port, data on the machine's disk). Prints wall and engine CPU time
 * and the load average before and after, because on a shared machine wall time mostly measures
 * waiting.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.volumekit.benchmarks.EtcdBindingTime
 * [pairs=10000] [writes=2000]}.
 */
public final class EtcdBindingTime {

  private EtcdBindingTime() {}

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int writes = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    System.out.println("load average at start: " + loadAverage());
    try (EtcdServer etcd = EtcdServer.start()) {
      EtcdStoreBenchmark.Stores stores = new EtcdStoreBenchmark.Stores();
      stores.etcd = etcd;
      for (String kind : new String[] {"memory", "etcd"}) {
        stores.store = kind;
        writes(stores, writes);
      }
      for (String kind : new String[] {"memory", "etcd"}) {
        stores.store = kind;
        bind(stores, pairs);
      }
    }
    System.out.println("load average at end: " + loadAverage());
  }

  private static void writes(EtcdStoreBenchmark.Stores stores, int n) {
    Store store = stores.open(Clock.systemUTC());
    try {
      long t0 = System.nanoTime();
      ApiObject claim = store.create(Objects.pvc(0));
      for (int i = 1; i < n; i++) {
        store.create(Objects.pvc(i));
      }
      long create = System.nanoTime() - t0;
      t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        claim = store.update(claim.withMetadata(claim.metadata().withLabels(ImmutableMap.of("n", Integer.toString(i)))));
      }
      long update = System.nanoTime() - t0;
      System.out.printf("store=%s creates=%d createsPerSecond=%.0f updates=%d updatesPerSecond=%.0f%n",
          stores.store, n, n / (create / 1e9), n, n / (update / 1e9));
    } finally {
      EtcdStoreBenchmark.Stores.close(store);
    }
  }

  private static void bind(EtcdStoreBenchmark.Stores stores, int n) {
    Store[] store = new Store[1];
    VolumeKit kit = VolumeKit.builder().eventRecorder(EventRecorder.discarding())
        .store(clock -> store[0] = stores.open(clock)).build();
    try {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        kit.apply(Objects.pv(i));
      }
      kit.settle();
      for (int i = 0; i < n; i++) {
        kit.apply(Objects.pvc(i));
      }
      long setup = (System.nanoTime() - t0) / 1_000_000;
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpu0 = threads.getCurrentThreadCpuTime();
      t0 = System.nanoTime();
      SettleResult r = kit.settle();
      long wall = (System.nanoTime() - t0) / 1_000_000;
      long cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
      System.out.printf("store=%s pairs=%d setupMs=%d bindWallMs=%d engineCpuMs=%d quiescent=%s steps=%d%n",
          stores.store, n, setup, wall, cpu, r.quiescent(), r.steps());
    } finally {
      EtcdStoreBenchmark.Stores.close(store[0]);
    }
  }

  private static String loadAverage() throws java.io.IOException {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }
}
