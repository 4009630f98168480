package io.volumekit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A claim's lifecycle read back as Prometheus scrapes it: Kubernetes' metric names, labels and
 * buckets, so that dashboards written for Kubernetes read volumekit.
 */
class MicrometerMetricsTest {

  private static final String DRIVER = "memory.csi.volumekit.io";
  private static final String PLUGIN = "kubernetes.io/csi:" + DRIVER;

  @TempDir
  Path tmp;

  private static ApiObject object(String yaml) {
    return ObjectCodec.standard().decode(yaml).objects().get(0);
  }

  private static final String CLASS = """
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata: {name: fast}
      provisioner: memory.csi.volumekit.io
      """;
  private static final String CLAIM = """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data, namespace: default}
      spec:
        storageClassName: fast
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
      """;
  private static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: default}
      spec:
        nodeName: node-1
        containers: [{name: app, image: busybox}]
        volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
      """;

  @Test
  void aLifecycleReadsBackInPrometheusTextWithKubernetesNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetrics metrics = MicrometerMetrics.of(registry);
    InMemoryCsiDriver memory = new InMemoryCsiDriver();
    VolumeKit kit = VolumeKit.builder().deterministic(3).kubeletRoot(tmp).driver(DRIVER, memory, memory::forNode)
        .node("node-1").metrics(metrics).build();
    kit.apply(object(CLASS));
    kit.apply(object(CLAIM));
    kit.apply(object(POD));
    kit.settle();

    List<String> lines = Arrays.asList(registry.scrape().split("\n"));
    assertThat(lines).contains(
        "pv_collector_bound_pvc_count{namespace=\"default\",storage_class=\"fast\",volume_attributes_class=\"\"} 1.0",
        "pv_collector_bound_pv_count{storage_class=\"fast\"} 1.0",
        "volume_manager_total_volumes{plugin_name=\"" + PLUGIN + "\",state=\"actual_state_of_world\"} 1.0",
        "attachdetach_controller_total_volumes{plugin_name=\"" + PLUGIN + "\",state=\"desired_state_of_world\"} 1.0",
        "retroactive_storageclass_total 0.0",
        "volumekit_workqueue_depth 0.0",
        "volumekit_operations_in_flight 0.0",
        "# TYPE storage_operation_duration_seconds histogram",
        "# TYPE csi_sidecar_operations_seconds histogram");
    // Kubernetes' buckets, and its labels in its order of meaning.
    assertThat(lines).anyMatch(l -> l.startsWith("storage_operation_duration_seconds_bucket{migrated=\"false\","
        + "operation_name=\"volume_provision\",status=\"success\",volume_plugin=\"" + PLUGIN + "\",le=\"0.25\"} 1"));
    assertThat(lines).anyMatch(l -> l.startsWith("storage_operation_duration_seconds_bucket{") && l.contains("le=\"600.0\"}"));
    assertThat(lines).contains("# HELP pv_collector_bound_pv_count Gauge measuring number of persistent volume currently bound");
    assertThat(lines).anyMatch(l -> l.startsWith("storage_operation_duration_seconds_count{migrated=\"false\","
        + "operation_name=\"volume_mount\",status=\"success\",volume_plugin=\"" + PLUGIN + "\"} 1"));
    assertThat(lines).anyMatch(l -> l.startsWith("csi_sidecar_operations_seconds_count{driver_name=\"" + DRIVER
        + "\",grpc_status_code=\"OK\",method_name=\"/csi.v1.Controller/CreateVolume\"} 1"));
    assertThat(lines).anyMatch(l -> l.startsWith("volumekit_reconcile_duration_seconds_count{controller=\"binding\"}"));

    // Gauges follow the state; a label set that is gone is no longer exposed.
    kit.delete(ObjectKey.namespaced("Pod", "default", "web"));
    kit.settle();
    kit.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "data"));
    kit.settle();
    String after = registry.scrape();
    assertThat(after).doesNotContain("pv_collector_bound_pvc_count{");
    assertThat(after).doesNotContain("volume_manager_total_volumes{");
    assertThat(after).contains("operation_name=\"volume_delete\",status=\"success\"");
  }

  @Test
  void refreshReadsTheStateWithoutASettle() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerMetrics metrics = MicrometerMetrics.of(registry);
    VolumeKit kit = VolumeKit.builder().deterministic(1).driver(DRIVER, new InMemoryCsiDriver()).metrics(metrics).build();
    kit.apply(object(CLASS));
    kit.apply(object(CLAIM));
    assertThat(registry.find("pv_collector_unbound_pvc_count").gauge()).isNull();
    metrics.refresh();
    assertThat(registry.get("pv_collector_unbound_pvc_count").tag("namespace", "default").gauge().value()).isEqualTo(1.0);
  }
}
