package io.volumekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code volumekit metrics}: the gauges computed from the saved state, plus what this invocation
 * recorded, in the Prometheus text format with Kubernetes' names.
 */
class MetricsCommandTest {

  @TempDir Path tmp;

  private Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(tmp.resolve("state"));
  }

  @Test
  void printsTheStatesGaugesInPrometheusText() {
    assertThat(cli.run("apply", "-f", VerbsTest.manifest("immediate.yaml")).code()).isZero();
    Cli.Result r = cli.run("metrics");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains(
        "# TYPE pv_collector_bound_pvc_count gauge\n",
        "pv_collector_bound_pvc_count{namespace=\"default\",storage_class=\"fast\",volume_attributes_class=\"\"} 1.0\n",
        "pv_collector_bound_pv_count{storage_class=\"fast\"} 1.0\n",
        "retroactive_storageclass_total 0.0\n",
        "volumekit_workqueue_depth ");
    // Nothing was provisioned by this invocation: its histograms hold no provisioning.
    assertThat(r.out()).doesNotContain("operation_name=\"volume_provision\"");
  }

  @Test
  void withSettleItAlsoShowsWhatTheSettleDid() {
    assertThat(cli.run("apply", "-f", VerbsTest.manifest("immediate.yaml")).code()).isZero();
    Cli.Result r = cli.run("metrics", "--settle");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("volumekit_reconcile_duration_seconds_count{controller=\"binding\"}");
  }
}
