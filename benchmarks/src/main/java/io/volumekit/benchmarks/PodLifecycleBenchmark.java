package io.volumekit.benchmarks;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.node.LocalVolumeWriter;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.runtime.SettleResult;
import io.volumekit.model.core.ContainerBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimBuilder;
import io.volumekit.model.core.PersistentVolumeClaimSpecBuilder;
import io.volumekit.model.core.PersistentVolumeClaimVolumeSource;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodBuilder;
import io.volumekit.model.core.PodSpecBuilder;
import io.volumekit.model.core.ResourceRequirementsBuilder;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.core.VolumeMount;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.StorageClassBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The full lifecycle of a pod with one dynamically provisioned volume, in-memory CSI driver
 * (docs/performance.md; target: more than 50,000 per second).
 *
 * <p>One lifecycle: a claim of a StorageClass whose provisioner is the {@link InMemoryCsiDriver}
 * and a pod using it are applied, {@code settle()} provisions (CreateVolume), binds, schedules,
 * attaches (ControllerPublish), stages and publishes, and the pod is Running; then the pod and the
 * claim are deleted and {@code settle()} unpublishes, unstages, detaches, deletes the volume
 * (DeleteVolume) and removes the PV. All on one engine that keeps running (steady state), in
 * deterministic mode, with the kubelet root in a temporary directory and Kubernetes Events
 * discarded (stored Events would pile up without a TTL). {@code lifecycle} runs one lifecycle per
 * settle pair, {@code batchOf100} 100 claims and pods per settle pair.
 *
 * <p>The setup runs one lifecycle and checks that the pod really reached Running with its volume
 * published and that everything was cleaned up, so the benchmark cannot measure a no-op. The
 * baseline {@code rawCsiCalls} is the eight CSI calls of one lifecycle made directly on the
 * in-memory driver: what is left when the engine's own work is taken away.
 *
 * <p>Warm-up is long on purpose: the engine's many code paths need some 20,000 lifecycles before
 * the JIT has compiled them; with 4 warm-up iterations of 5 s the measured engine was 3-5x slower
 * and very noisy on a loaded 2-core machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "-Xmn2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 10, time = 5)
@Measurement(iterations = 5, time = 2)
public class PodLifecycleBenchmark {

  /** The in-memory driver's name; the StorageClass names it as its provisioner. */
  static final String DRIVER = "memory.csi.volumekit.io";
  /** Claims per settle pair in {@link #batchOf100()}. */
  static final int BATCH = 100;

  @Param({"WaitForFirstConsumer", "Immediate"})
  public String bindingMode;

  /**
   * The node's filesystem: {@code tmp}, the kubelet root in a new directory under {@code
   * java.io.tmpdir} (pod directories really made and pruned); {@code none}, the same root but
   * {@link LocalVolumeWriter#discarding()} (the engine alone, no directory syscalls).
   */
  @Param({"tmp", "none"})
  public String nodeFs;

  private Lifecycles lifecycles;
  private RawCsi raw;

  @Setup(Level.Trial)
  public void setUp() {
    lifecycles = new Lifecycles(bindingMode, EventRecorder.discarding(), nodeFs);
    lifecycles.verifyOne();
    raw = new RawCsi();
    raw.verifyOne();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    lifecycles.close();
  }

  /** One lifecycle: create, settle, delete, settle. */
  @Benchmark
  public long lifecycle() {
    return lifecycles.run(1);
  }

  /** 100 lifecycles, their creations in one settle and their deletions in another. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long batchOf100() {
    return lifecycles.run(BATCH);
  }

  /** Baseline: the eight CSI calls of one lifecycle, straight to the in-memory driver. */
  @Benchmark
  public int rawCsiCalls() {
    return raw.run();
  }

  /**
   * One engine with one node and the in-memory driver, running lifecycles of uniquely named claims
   * and pods in the default namespace.
   */
  static final class Lifecycles implements AutoCloseable {
    final VolumeKit kit;
    final InMemoryCsiDriver driver;
    final Path root;
    private long next;

    final boolean realFs;

    /**
     * An engine with the StorageClass {@code memory} of the given binding mode.
     *
     * @param nodeFs {@code tmp}: kubelet root under {@code java.io.tmpdir}; {@code shm}: under
     *     {@code /dev/shm} (tmpfs); {@code none}: a temporary root but a discarding local writer
     */
    Lifecycles(String bindingMode, EventRecorder events, String nodeFs) {
      this(bindingMode, events, nodeFs, io.volumekit.core.metrics.EngineMetrics.noop());
    }

    /** The same, reporting the engine's metrics (reconciles per controller) to {@code metrics}. */
    Lifecycles(String bindingMode, EventRecorder events, String nodeFs, io.volumekit.core.metrics.EngineMetrics metrics) {
      this(bindingMode, events, nodeFs, metrics, java.util.function.UnaryOperator.identity());
    }

    /** The same, with the default controllers changed by {@code controllers} (e.g. wrapped to count). */
    Lifecycles(String bindingMode, EventRecorder events, String nodeFs, io.volumekit.core.metrics.EngineMetrics metrics,
        java.util.function.UnaryOperator<List<io.volumekit.core.controller.Controller>> controllers) {
      if (!List.of("tmp", "shm", "none").contains(nodeFs)) {
        throw new IllegalArgumentException("nodeFs: tmp, shm or none, not " + nodeFs);
      }
      try {
        root = nodeFs.equals("shm")
            ? Files.createTempDirectory(Path.of("/dev/shm"), "volumekit-pod-lifecycle")
            : Files.createTempDirectory("volumekit-pod-lifecycle");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      realFs = !nodeFs.equals("none");
      driver = new InMemoryCsiDriver();
      VolumeKit.Builder builder = VolumeKit.builder()
          .driver(DRIVER, driver)
          .node("node-1")
          .kubeletRoot(root.resolve("kubelet"))
          .eventRecorder(events)
          .deterministic(1)
          .metrics(metrics)
          .controllers(controllers);
      if (!realFs) {
        builder.localVolumeWriter(LocalVolumeWriter.discarding());
      }
      kit = builder.build();
      kit.apply(StorageClassBuilder.builder()
          .metadata(ObjectMeta.named("memory"))
          .provisioner(DRIVER)
          .reclaimPolicy(Optional.of("Delete"))
          .volumeBindingMode(Optional.of(bindingMode))
          .build());
      requireQuiescent(kit.settle(), "start");
    }

    /**
     * Runs {@code k} lifecycles: {@code k} claims and pods applied, one settle, all deleted, one
     * settle.
     *
     * @return reconciles performed (so that nothing is optimised away)
     */
    long run(int k) {
      long first = next;
      next += k;
      for (long i = first; i < first + k; i++) {
        kit.apply(claim(i));
        kit.apply(pod(i));
      }
      SettleResult up = requireQuiescent(kit.settle(), "create");
      for (long i = first; i < first + k; i++) {
        kit.delete(Pod.KIND, "default", "pod-" + i);
        kit.delete(PersistentVolumeClaim.KIND, "default", "claim-" + i);
      }
      SettleResult down = requireQuiescent(kit.settle(), "delete");
      return up.steps() + down.steps();
    }

    /**
     * Runs one lifecycle step by step and throws unless the pod reached Running with its volume
     * published by the driver, and unless the pod, claim, PV and CSI volume are all gone after.
     */
    void verifyOne() {
      long i = next++;
      kit.apply(claim(i));
      kit.apply(pod(i));
      requireQuiescent(kit.settle(), "create");
      Pod pod = kit.get(Pod.class, "default", "pod-" + i).orElseThrow();
      String phase = pod.status().phase().orElse("");
      if (!phase.equals("Running") || !kit.podVolumes(pod).ready()) {
        throw new IllegalStateException("pod not Running with its volume ready: phase=" + phase);
      }
      PersistentVolumeClaim claim = kit.get(PersistentVolumeClaim.class, "default", "claim-" + i).orElseThrow();
      if (!claim.phase().equals("Bound") || kit.list(PersistentVolume.class).size() != 1) {
        throw new IllegalStateException("claim not Bound to one provisioned PV: " + claim.phase());
      }
      if (csiVolumes(driver) != 1) {
        throw new IllegalStateException("the driver holds " + csiVolumes(driver) + " volumes, expected 1");
      }
      Path podDir = kit.volumeHost().podDir(pod.metadata().uid().orElseThrow());
      if (realFs && !Files.isDirectory(podDir)) {
        throw new IllegalStateException("the pod's directory was not made: " + podDir);
      }
      kit.delete(Pod.KIND, "default", "pod-" + i);
      kit.delete(PersistentVolumeClaim.KIND, "default", "claim-" + i);
      requireQuiescent(kit.settle(), "delete");
      if (!kit.list(Pod.class).isEmpty() || !kit.list(PersistentVolumeClaim.class).isEmpty()
          || !kit.list(PersistentVolume.class).isEmpty() || csiVolumes(driver) != 0) {
        throw new IllegalStateException("not cleaned up: pods=" + kit.list(Pod.class).size()
            + " claims=" + kit.list(PersistentVolumeClaim.class).size()
            + " PVs=" + kit.list(PersistentVolume.class).size() + " CSI volumes=" + csiVolumes(driver));
      }
      if (Files.exists(podDir)) {
        throw new IllegalStateException("the pod's directory was not removed: " + podDir);
      }
    }

    @Override
    public void close() {
      try (Stream<Path> paths = Files.walk(root)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static SettleResult requireQuiescent(SettleResult r, String what) {
      if (!r.quiescent()) {
        throw new IllegalStateException(what + ": did not settle: " + r);
      }
      return r;
    }

    private static int csiVolumes(InMemoryCsiDriver driver) {
      return driver.listVolumes(ListVolumesRequest.firstPage(0)).entries().size();
    }

    static PersistentVolumeClaim claim(long i) {
      return PersistentVolumeClaimBuilder.builder()
          .metadata(ObjectMeta.named("default", "claim-" + i))
          .spec(PersistentVolumeClaimSpecBuilder.builder()
              .storageClassName(Optional.of("memory"))
              .accessModes(ImmutableList.of("ReadWriteOnce"))
              .resources(ResourceRequirementsBuilder.builder()
                  .requests(ImmutableMap.of("storage", Quantity.parse("1Mi"))).build())
              .build())
          .build();
    }

    static Pod pod(long i) {
      return PodBuilder.builder()
          .metadata(ObjectMeta.named("default", "pod-" + i))
          .spec(PodSpecBuilder.builder()
              .containers(ImmutableList.of(ContainerBuilder.builder()
                  .name("app")
                  .image(Optional.of("busybox"))
                  .volumeMounts(ImmutableList.of(VolumeMount.of("data", "/data")))
                  .build()))
              .volumes(ImmutableList.of(VolumeBuilder.builder().name("data")
                  .persistentVolumeClaim(Optional.of(new PersistentVolumeClaimVolumeSource("claim-" + i, Optional.empty())))
                  .build()))
              .build())
          .build();
    }
  }

  /**
   * The baseline: the CSI calls of one lifecycle (CreateVolume, ControllerPublish, NodeStage,
   * NodePublish, NodeUnpublish, NodeUnstage, ControllerUnpublish, DeleteVolume) made directly on
   * an in-memory driver, with paths shaped like the kubelet's.
   */
  static final class RawCsi {
    private static final VolumeCapability RWO = VolumeCapability.mount("ext4", AccessMode.SINGLE_NODE_WRITER);
    final InMemoryCsiDriver driver = new InMemoryCsiDriver();
    private long next;

    /** One lifecycle's CSI calls; returns the length of the volume id. */
    int run() {
      long i = next++;
      String id = driver.createVolume(CreateVolumeRequest.of("pvc-" + i, 1L << 20, RWO)).volume().volumeId();
      var ctx = driver.controllerPublishVolume(ControllerPublishVolumeRequest.of(id, "node-1", RWO)).publishContext();
      String staging = "/var/lib/kubelet/plugins/kubernetes.io/csi/" + DRIVER + "/" + id + "/globalmount";
      String target = "/var/lib/kubelet/pods/uid-" + i + "/volumes/kubernetes.io~csi/pvc-" + i + "/mount";
      driver.nodeStageVolume(new NodeStageVolumeRequest(id, ctx, staging, Optional.of(RWO), null, null));
      driver.nodePublishVolume(new NodePublishVolumeRequest(id, ctx, staging, target, Optional.of(RWO), false,
          null, null));
      driver.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(id, target));
      driver.nodeUnstageVolume(new NodeUnstageVolumeRequest(id, staging));
      driver.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, "node-1"));
      driver.deleteVolume(DeleteVolumeRequest.of(id));
      return id.length();
    }

    /** Throws unless one run leaves the driver without volumes. */
    void verifyOne() {
      run();
      if (!driver.listVolumes(ListVolumesRequest.firstPage(0)).entries().isEmpty()) {
        throw new IllegalStateException("raw CSI lifecycle left a volume behind");
      }
    }
  }
}
