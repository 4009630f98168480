package io.volumekit.benchmarks;

import io.volumekit.core.Admissions;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.runtime.SettleResult;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.store.Ids;
import io.volumekit.core.store.InMemoryStore;
import io.volumekit.core.store.Store;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.store.etcd.EtcdStore;
import io.volumekit.store.etcd.OperationFormat;
import io.volumekit.testkit.etcd.EtcdServer;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writes and binding through the etcd store against the in-memory one (docs/performance.md). The
 * etcd is a real single-member etcd started on a loopback port with its data in a temporary
 * directory (so on the machine's disk, with etcd's fsync per write).
 */
public class EtcdStoreBenchmark {

  /** The benchmarks write objects and bind; they start no effect, so no operation is stored. */
  static final OperationFormat NO_EFFECTS = new OperationFormat() {
    @Override
    public byte[] encode(Operation operation) {
      throw new UnsupportedOperationException("the store benchmarks start no effect: " + operation.effect().describe());
    }

    @Override
    public Operation decode(byte[] bytes) {
      throw new UnsupportedOperationException("the store benchmarks store no operation");
    }
  };

  /** One store (and its etcd) per trial. */
  @State(Scope.Benchmark)
  public static class Stores {
    @Param({"memory", "etcd"})
    public String store;

    EtcdServer etcd;
    int clusters;
    /** When set, the next etcd store opens this prefix again (objects stored before) instead of a new one. */
    String reopen;

    @Setup(Level.Trial)
    public void startEtcd() {
      if (store.equals("etcd")) {
        etcd = EtcdServer.start();
      }
    }

    Store open(Clock clock) {
      if (store.equals("memory")) {
        return new InMemoryStore(ClusterState.empty(), clock, Ids.random(), Admissions.defaults());
      }
      String prefix = reopen != null ? reopen : "/bench/c" + (++clusters);
      return EtcdStore.connect(etcd.endpoint()).prefix(prefix).operationFormat(NO_EFFECTS).open(clock);
    }

    static void close(Store s) {
      if (s instanceof EtcdStore e) {
        e.close();
      }
    }

    @TearDown(Level.Trial)
    public void stopEtcd() {
      if (etcd != null) {
        etcd.close();
      }
    }
  }

  /** Single writes, one after the other (one client, as the runtime writes). */
  @State(Scope.Thread)
  public static class Writes {
    Store store;
    ApiObject claim;
    int next;

    @Setup(Level.Iteration)
    public void open(Stores stores) {
      store = stores.open(Clock.systemUTC());
      claim = store.create(Objects.pvc(0));
    }

    @TearDown(Level.Iteration)
    public void close() {
      Stores.close(store);
    }
  }

  /** Creates of new claims: writes/s. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Fork(1)
  @Warmup(iterations = 2, time = 3)
  @Measurement(iterations = 3, time = 5)
  public ApiObject create(Writes w) {
    return w.store.create(Objects.pvc(++w.next));
  }

  /** Updates of one claim (a label change, checked against its resourceVersion): writes/s. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Fork(1)
  @Warmup(iterations = 2, time = 3)
  @Measurement(iterations = 3, time = 5)
  public ApiObject update(Writes w) {
    ApiObject c = w.claim;
    w.claim = w.store.update(c.withMetadata(c.metadata().withLabels(
        com.google.common.collect.ImmutableMap.of("n", Integer.toString(++w.next)))));
    return w.claim;
  }

  /** N pending claims and N available PVs stored; one settle binds them all. */
  @State(Scope.Thread)
  public static class Binding {
    @Param({"1000"})
    public int n;

    VolumeKit kit;
    Store store;

    @Setup(Level.Invocation)
    public void setUp(Stores stores) {
      kit = VolumeKit.builder().eventRecorder(EventRecorder.discarding())
          .store(clock -> store = stores.open(clock)).build();
      for (int i = 0; i < n; i++) {
        kit.apply(Objects.pv(i));
      }
      kit.settle();
      for (int i = 0; i < n; i++) {
        kit.apply(Objects.pvc(i));
      }
    }

    @TearDown(Level.Invocation)
    public void close() {
      Stores.close(store);
    }
  }

  /** Binding N pairs (each bind is 4 writes: PV claimRef, PV phase, claim volumeName, claim phase). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Fork(1)
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public SettleResult bindAll(Binding b) {
    SettleResult r = b.kit.settle();
    if (!r.quiescent()) {
      throw new IllegalStateException("did not settle: " + r);
    }
    return r;
  }
}
