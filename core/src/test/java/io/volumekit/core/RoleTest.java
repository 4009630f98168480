package io.volumekit.core;

import static io.volumekit.core.Fixtures.DRIVER;
import static io.volumekit.core.Fixtures.NS;
import static io.volumekit.core.Fixtures.pod;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.withClass;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.model.core.Pod;
import org.junit.jupiter.api.Test;

/**
 * {@link Role} on the in-memory store: the node filter is in the process (the store holds every
 * pod), and a node agent's kubelet controllers still set up only its own nodes' pods.
 */
class RoleTest {

  private static VolumeKit kit(Role role) {
    VolumeKit kit = VolumeKit.builder().deterministic(7).driver(DRIVER, new InMemoryCsiDriver())
        .node("node-1").node("node-2").role(role).build();
    kit.apply(sc("fast"));
    kit.apply(withClass(pvc("a", "1Gi"), "fast"));
    kit.apply(withClass(pvc("b", "1Gi"), "fast"));
    kit.apply(pod("on-1", "node-1", "a"));
    kit.apply(pod("on-2", "node-2", "b"));
    kit.settle();
    return kit;
  }

  private static boolean running(VolumeKit kit, String pod) {
    return kit.get(Pod.class, NS, pod).flatMap(p -> p.status().phase()).filter("Running"::equals).isPresent();
  }

  @Test
  void aNodeAgentSetsUpOnlyItsNodesPods() {
    VolumeKit agent = kit(Role.controlPlane().andNodeAgent("node-1"));
    assertThat(running(agent, "on-1")).isTrue();
    assertThat(running(agent, "on-2")).isFalse();
  }

  @Test
  void theDefaultRoleSetsUpEveryNodesPods() {
    VolumeKit all = kit(Role.all());
    assertThat(running(all, "on-1")).isTrue();
    assertThat(running(all, "on-2")).isTrue();
  }
}
