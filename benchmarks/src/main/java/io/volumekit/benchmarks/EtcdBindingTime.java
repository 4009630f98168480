package io.volumekit.benchmarks;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.runtime.SettleResult;
import io.volumekit.core.store.Store;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.core.PersistentVolumeStatus;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.store.etcd.EtcdStore;
import io.volumekit.testkit.etcd.EtcdServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The etcd store against the in-memory one in one run (docs/performance.md): creates and updates
 * per second with one writer, creates per second with several writers (etcd only: the in-memory
 * store is not thread-safe), then binding N pending claims to N available PVs in one {@code
 * settle()}, each through {@code InMemoryStore} and through {@code EtcdStore} on a real
 * single-member etcd (loopback port). Prints wall time, the engine thread's, the whole JVM's and
 * etcd's CPU time, and the load average before and after, because on a shared machine wall time mostly measures waiting.
 *
 * <p>The N PVs (already {@code Available}) and N claims are stored before the engine starts, by
 * the writers at once for etcd and one after the other for the in-memory store; the engine then
 * opens the store (etcd: listing the 2N keys) and reconciles everything, as after a restart.
 * Storing them is timed apart from the binding.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.volumekit.benchmarks.EtcdBindingTime
 * [pairs=10000] [writes=2000] [writers=16] [dataParent=java.io.tmpdir]}; {@code dataParent} is
 * where etcd's data directory goes ({@code /dev/shm}: a tmpfs, so etcd's fsync costs nothing).
 */
public final class EtcdBindingTime {

  private EtcdBindingTime() {}

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int writes = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int writers = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    Path dataParent = Path.of(args.length > 3 ? args[3] : System.getProperty("java.io.tmpdir"));
    System.out.println("load average at start: " + loadAverage());
    System.out.println("etcd data under " + dataParent + " (" + Files.getFileStore(dataParent).type() + ")");
    try (EtcdServer etcd = EtcdServer.startIn(dataParent)) {
      EtcdStoreBenchmark.Stores stores = new EtcdStoreBenchmark.Stores();
      stores.etcd = etcd;
      for (String kind : new String[] {"memory", "etcd"}) {
        stores.store = kind;
        writes(stores, writes);
      }
      stores.store = "etcd";
      concurrentCreates(stores, writes * 4, writers);
      for (String kind : new String[] {"memory", "etcd"}) {
        stores.store = kind;
        bind(stores, etcd, pairs, writers);
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

  private static void concurrentCreates(EtcdStoreBenchmark.Stores stores, int n, int writers) throws Exception {
    Store store = stores.open(Clock.systemUTC());
    try {
      long t0 = System.nanoTime();
      inParallel(writers, n, i -> store.create(Objects.pvc(i)));
      long create = System.nanoTime() - t0;
      System.out.printf("store=%s writers=%d creates=%d createsPerSecond=%.0f%n",
          stores.store, writers, n, n / (create / 1e9));
    } finally {
      EtcdStoreBenchmark.Stores.close(store);
    }
  }

  private static void bind(EtcdStoreBenchmark.Stores stores, EtcdServer etcd, int n, int writers) throws Exception {
    // Stored first: N available PVs and N pending claims, through the client path (Store.write).
    long t0 = System.nanoTime();
    Store filled = stores.open(Clock.systemUTC());
    Store[] store = new Store[1];
    if (filled instanceof EtcdStore e) {
      try {
        inParallel(writers, 2 * n, i -> e.write(i < n ? available(i) : Objects.pvc(i - n)));
      } finally {
        e.close();
      }
      stores.reopen = e.prefix(); // the engine's store lists them
    } else {
      for (int i = 0; i < n; i++) {
        filled.write(available(i));
      }
      for (int i = 0; i < n; i++) {
        filled.write(Objects.pvc(i));
      }
      filled.drainChanges();
      store[0] = filled;
    }
    long setup = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    VolumeKit kit = VolumeKit.builder().eventRecorder(EventRecorder.discarding())
        .store(clock -> store[0] != null ? store[0] : (store[0] = stores.open(clock))).build();
    stores.reopen = null;
    try {
      long open = (System.nanoTime() - t0) / 1_000_000;
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long etcd0 = cpuMillis(etcd.pid());
      long jvm0 = cpuMillis(ProcessHandle.current().pid());
      Map<String, Long> threads0 = threadCpu(threads);
      t0 = System.nanoTime();
      SettleResult r = kit.settle();
      long wall = (System.nanoTime() - t0) / 1_000_000;
      long cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
      long etcdCpu = cpuMillis(etcd.pid()) - etcd0;
      long jvmCpu = cpuMillis(ProcessHandle.current().pid()) - jvm0;
      Map<String, Long> byThread = new TreeMap<>();
      threadCpu(threads).forEach((name, ms) -> {
        long d = ms - threads0.getOrDefault(name, 0L);
        if (d >= 100) {
          byThread.put(name, d);
        }
      });
      long bound = kit.state().list(PersistentVolumeClaim.KIND).stream()
          .map(PersistentVolumeClaim.class::cast)
          .filter(c -> c.status().phase().equals(Optional.of(PersistentVolumeClaimStatus.BOUND))).count();
      System.out.printf("store=%s pairs=%d storeFirstMs=%d openMs=%d bindWallMs=%d engineCpuMs=%d jvmCpuMs=%d etcdCpuMs=%d"
          + " quiescent=%s steps=%d boundClaims=%d%n",
          stores.store, n, setup, open, wall, cpu, jvmCpu, etcdCpu, r.quiescent(), r.steps(), bound);
      System.out.println("  CPU ms by JVM thread (>= 100 ms; the rest of jvmCpuMs is GC and JIT): " + byThread);
    } finally {
      EtcdStoreBenchmark.Stores.close(store[0]);
    }
  }

  /** CPU time (ms) of the live Java threads, summed by name with digits replaced by N. */
  private static Map<String, Long> threadCpu(ThreadMXBean threads) {
    Map<String, Long> out = new TreeMap<>();
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null) {
        long ns = threads.getThreadCpuTime(t.getThreadId());
        if (ns > 0) {
          out.merge(t.getThreadName().replaceAll("[0-9]+", "N"), ns / 1_000_000, Long::sum);
        }
      }
    }
    return out;
  }

  private static PersistentVolume available(int i) {
    PersistentVolume pv = Objects.pv(i);
    return pv.withStatus(pv.status().withPhase(Optional.of(PersistentVolumeStatus.AVAILABLE)));
  }

  /** Calls {@code write} for 0..n-1 from {@code threads} threads (each takes the next index). */
  private static void inParallel(int threads, int n, IntConsumer write) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            write.accept(i);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** User plus system CPU time of a process, from {@code /proc/<pid>/stat} (clock ticks of 10 ms). */
  private static long cpuMillis(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  private static String loadAverage() throws java.io.IOException {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }
}
