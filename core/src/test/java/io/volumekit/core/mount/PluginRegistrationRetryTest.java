package io.volumekit.core.mount;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.Fixtures;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.NodeGetInfoResponse;
import io.volumekit.core.runtime.SettleResult;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.Node;
import io.volumekit.model.storage.CSINode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Plugin registration is an effect of the runtime: a failed NodeGetInfo is traced, reported as a
 * Warning event on the Node and retried with backoff, never just logged.
 */
class PluginRegistrationRetryTest {

  private static final ObjectKey NODE = ObjectKey.cluster(Node.KIND, "node-1");

  /** A node plugin whose NodeGetInfo fails the first {@code failures} times (all if negative). */
  private static final class FlakyNodeInfo extends ForwardingCsiDriver {
    private int failures;
    int calls;

    FlakyNodeInfo(CsiDriver delegate, int failures) {
      super(delegate);
      this.failures = failures;
    }

    @Override
    public NodeGetInfoResponse nodeGetInfo() {
      calls++;
      if (failures != 0) {
        failures--;
        throw new CsiException(CsiCode.UNAVAILABLE, "node plugin socket not ready");
      }
      return super.nodeGetInfo();
    }
  }

  private final List<String> trace = new ArrayList<>();

  private VolumeKit kit(FlakyNodeInfo[] plugin, int failures) {
    InMemoryCsiDriver memory = new InMemoryCsiDriver();
    return VolumeKit.builder().deterministic(5).trace(trace::add)
        .driver(Fixtures.DRIVER, memory, node -> plugin[0] = new FlakyNodeInfo(memory.forNode(node), failures))
        .node("node-1")
        .build();
  }

  private static List<Event> warnings(VolumeKit kit) {
    return kit.events(NODE).stream().filter(e -> e.type().filter("Warning"::equals).isPresent()).toList();
  }

  @Test
  void aRegistrationThatFailsOnceIsReportedAndRegisteredOnRetry() {
    FlakyNodeInfo[] plugin = new FlakyNodeInfo[1];
    VolumeKit kit = kit(plugin, 1);
    // The first attempt failed at once: reported on the Node, nothing registered yet.
    assertThat(kit.get(CSINode.class, "", "node-1")).isEmpty();
    assertThat(warnings(kit)).singleElement().satisfies(e -> {
      assertThat(e.reason()).contains(NodeRegistrar.FAILED_REGISTRATION);
      assertThat(e.message()).contains("RegisterPlugin error -- plugin registration failed with err: "
          + "rpc error: code = Unavailable desc = node plugin socket not ready");
      assertThat(e.source().component()).contains("kubelet");
    });

    SettleResult r = kit.settle();

    assertThat(r.quiescent()).isTrue();
    assertThat(plugin[0].calls).isEqualTo(2);
    CSINode cn = kit.get(CSINode.class, "", "node-1").orElseThrow();
    assertThat(cn.spec().drivers()).singleElement().satisfies(d -> assertThat(d.nodeID()).isEqualTo("node-1"));
    assertThat(kit.get(Node.class, "", "node-1").orElseThrow().metadata().annotation("csi.volume.kubernetes.io/nodeid"))
        .contains("{\"" + Fixtures.DRIVER + "\":\"node-1\"}");
    assertThat(warnings(kit)).hasSize(1);
    assertThat(kit.state().operations()).isEmpty();
    assertThat(trace).filteredOn(l -> l.contains("effect start " + NodeRegistrar.registerId(Fixtures.DRIVER, "node-1")))
        .hasSize(2).last().asString().contains("attempt=2");
  }

  @Test
  void aRegistrationThatAlwaysFailsBacksOffAndNeverRegisters() {
    FlakyNodeInfo[] plugin = new FlakyNodeInfo[1];
    VolumeKit kit = kit(plugin, -1);

    SettleResult r = kit.settle(Duration.ofMinutes(10));

    // Retries spaced by the backoff (0.5 s doubling to 2 min 2 s): a handful in ten minutes, and
    // settle returns with the next one pending.
    assertThat(plugin[0].calls).isBetween(8, 14);
    assertThat(r.quiescent()).isFalse();
    assertThat(r.pendingTimers()).isEqualTo(1);
    assertThat(kit.get(CSINode.class, "", "node-1")).isEmpty();
    assertThat(kit.get(Node.class, "", "node-1").orElseThrow().metadata().annotation("csi.volume.kubernetes.io/nodeid"))
        .isEmpty();
    assertThat(warnings(kit)).singleElement().satisfies(e -> {
      assertThat(e.reason()).contains(NodeRegistrar.FAILED_REGISTRATION);
      assertThat(e.count()).isEqualTo(plugin[0].calls);
    });

    // Deleting the node stops the retries and forgets the registration.
    kit.delete(NODE);
    assertThat(kit.settle().quiescent()).isTrue();
    assertThat(kit.state().operations()).isEmpty();
  }
}
