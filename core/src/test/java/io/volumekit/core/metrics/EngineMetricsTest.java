package io.volumekit.core.metrics;

import static io.volumekit.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime reports a claim's whole lifecycle to {@link EngineMetrics} with Kubernetes' names
 * and labels: provisioning (one transient failure, then success), attach, mount, unmount, detach,
 * delete; a retroactive default StorageClass; reconciles per controller; the gauges from the state.
 */
class EngineMetricsTest {

  private static final String PLUGIN = "kubernetes.io/csi:" + DRIVER;

  @TempDir
  Path tmp;

  /** Records what the runtime reports, as lines. */
  static final class Recording implements EngineMetrics {
    final List<String> operations = new ArrayList<>();
    final List<String> csiCalls = new ArrayList<>();
    final List<String> reconciled = new ArrayList<>();
    final List<Boolean> retroactive = new ArrayList<>();
    Supplier<ImmutableList<GaugeSample>> gauges = ImmutableList::of;
    int settles;

    @Override
    public synchronized void storageOperation(String plugin, String operation, boolean success, Duration took) {
      assertThat(took.isNegative()).isFalse();
      operations.add(plugin + " " + operation + " " + (success ? "success" : "fail-unknown"));
    }

    @Override
    public synchronized void csiCall(String driver, String method, String code, Duration took) {
      csiCalls.add(driver + " " + method + " " + code);
    }

    @Override
    public synchronized void reconciled(String controller, Duration took) {
      reconciled.add(controller);
    }

    @Override
    public synchronized void retroactiveStorageClass(boolean success) {
      retroactive.add(success);
    }

    @Override
    public void gauges(Supplier<ImmutableList<GaugeSample>> source) {
      gauges = source;
    }

    @Override
    public void settled() {
      settles++;
    }

    double gauge(String name, Map<String, String> labels) {
      return gauges.get().stream().filter(s -> s.name().equals(name) && s.labels().equals(new TreeMap<>(labels)))
          .mapToDouble(GaugeSample::value).sum();
    }
  }

  /** The in-memory driver whose first CreateVolume fails with UNAVAILABLE. */
  private static final class FailingOnce extends ForwardingCsiDriver {
    private int calls;

    FailingOnce(InMemoryCsiDriver d) {
      super(d);
    }

    @Override
    public CreateVolumeResponse createVolume(CreateVolumeRequest request) {
      if (calls++ == 0) {
        throw new CsiException(CsiCode.UNAVAILABLE, "driver restarting");
      }
      return super.createVolume(request);
    }
  }

  @Test
  void aClaimsLifecycleIsRecordedWithKubernetesNamesAndLabels() {
    Recording m = new Recording();
    InMemoryCsiDriver memory = new InMemoryCsiDriver();
    VolumeKit kit = VolumeKit.builder().deterministic(7).kubeletRoot(tmp)
        .driver(DRIVER, new FailingOnce(memory), memory::forNode).node("node-1").metrics(m).build();

    kit.apply(pvc("old", "1Gi"));           // no class, no default yet: Pending
    kit.settle();
    kit.apply(asDefault(sc("fast")));       // the binder gives "old" the default class
    kit.apply(withClass(pvc("data", "1Gi"), "fast"));
    kit.settle();
    assertThat(m.retroactive).containsExactly(true);
    assertThat(m.operations).startsWith(PLUGIN + " volume_provision fail-unknown");
    assertThat(m.csiCalls).contains(DRIVER + " /csi.v1.Controller/CreateVolume Unavailable",
        DRIVER + " /csi.v1.Controller/CreateVolume OK");

    Map<String, String> fast = Map.of("namespace", NS, "storage_class", "fast", "volume_attributes_class", "");
    assertThat(m.gauge(MetricNames.PVC_BOUND, fast)).isEqualTo(2);
    assertThat(m.gauge(MetricNames.PV_BOUND, Map.of("storage_class", "fast"))).isEqualTo(2);
    assertThat(m.gauge(MetricNames.PV_TOTAL, Map.of("plugin_name", PLUGIN, "volume_mode", "Filesystem"))).isEqualTo(2);

    kit.apply(pod("web", "node-1", "data"));
    kit.settle();
    assertThat(m.operations).contains(PLUGIN + " volume_attach success", PLUGIN + " volume_mount success");
    assertThat(m.csiCalls).contains(DRIVER + " /csi.v1.Node/NodePublishVolume OK");
    assertThat(m.gauge(MetricNames.VOLUME_MANAGER_TOTAL_VOLUMES,
        Map.of("plugin_name", PLUGIN, "state", MetricNames.ACTUAL_STATE))).isEqualTo(1);
    assertThat(m.gauge(MetricNames.VOLUME_MANAGER_TOTAL_VOLUMES,
        Map.of("plugin_name", PLUGIN, "state", MetricNames.DESIRED_STATE))).isEqualTo(1);
    assertThat(m.gauge(MetricNames.ATTACHDETACH_TOTAL_VOLUMES,
        Map.of("plugin_name", PLUGIN, "state", MetricNames.ACTUAL_STATE))).isEqualTo(1);
    assertThat(m.gauge(MetricNames.ATTACHABLE_VOLUMES_IN_USE,
        Map.of("node", "node-1", "volume_plugin", PLUGIN))).isEqualTo(1);

    kit.delete(ObjectKey.namespaced(Pod.KIND, NS, "web"));
    kit.settle();
    kit.delete(pvcKey("data"));
    kit.settle();
    assertThat(m.operations).contains(PLUGIN + " volume_unmount success", PLUGIN + " volume_detach success",
        PLUGIN + " volume_delete success");
    assertThat(m.gauge(MetricNames.PVC_BOUND, fast)).isEqualTo(1);
    assertThat(m.gauge(MetricNames.ATTACHDETACH_TOTAL_VOLUMES,
        Map.of("plugin_name", PLUGIN, "state", MetricNames.ACTUAL_STATE))).isZero();
    assertThat(m.gauge(MetricNames.QUEUE_DEPTH, Map.of())).isZero();
    assertThat(m.gauge(MetricNames.OPERATIONS_IN_FLIGHT, Map.of())).isZero();
    assertThat(m.reconciled).contains("binding").isNotEmpty();
    assertThat(m.settles).isEqualTo(5);
  }

  @Test
  void grpcCodesAreSpelledAsGoSpellsThem() {
    assertThat(StorageOperations.grpcName(CsiCode.OK)).isEqualTo("OK");
    assertThat(StorageOperations.grpcName(CsiCode.DEADLINE_EXCEEDED)).isEqualTo("DeadlineExceeded");
    assertThat(StorageOperations.grpcName(CsiCode.CANCELLED)).isEqualTo("Canceled");
    assertThat(StorageOperations.grpcName(CsiCode.INVALID_ARGUMENT)).isEqualTo("InvalidArgument");
  }

  @Test
  void withoutMetricsNothingIsComputed() {
    assertThat(EngineMetrics.noop()).isSameAs(EngineMetrics.Noop.INSTANCE);
    VolumeKit kit = VolumeKit.builder().deterministic(1).driver(DRIVER, new InMemoryCsiDriver()).build();
    kit.apply(sc("fast"));
    kit.apply(withClass(pvc("data", "1Gi"), "fast"));
    kit.settle();
    // The gauges are still there for whoever asks the runtime.
    assertThat(kit.runtime().gauges()).extracting(GaugeSample::name).contains(MetricNames.PVC_BOUND);
  }
}
