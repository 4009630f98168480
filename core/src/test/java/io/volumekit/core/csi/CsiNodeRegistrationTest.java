package io.volumekit.core.csi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CsiNodeRegistrationTest {

  private static CsiDriver reporting(NodeGetInfoResponse info) {
    return new ForwardingCsiDriver(new InMemoryCsiDriver()) {
      @Override
      public NodeGetInfoResponse nodeGetInfo() {
        return info;
      }
    };
  }

  @Test
  void buildsTheCsiNodeEntryWithSortedTopologyKeys() {
    CsiNodeRegistration r = CsiNodeRegistration.register("node-a", reporting(new NodeGetInfoResponse("id-a", 16,
        Optional.of(Topology.of(Map.of("zone", "z1", "rack", "r7"))))));
    assertThat(r.driverName()).isEqualTo("memory.csi.volumekit.io");
    assertThat(r.nodeName()).isEqualTo("node-a");
    assertThat(r.nodeId()).isEqualTo("id-a");
    assertThat(r.topologyKeys()).containsExactly("rack", "zone");
    assertThat(r.topologyLabels()).containsEntry("zone", "z1").containsEntry("rack", "r7");
    assertThat(r.allocatableCount()).contains(16);
  }

  @Test
  void allocatableIsOmittedForZeroOrNegativeAndTruncatedAboveInt32() {
    assertThat(CsiNodeRegistration.register("n", reporting(new NodeGetInfoResponse("id", 0, Optional.empty())))
        .allocatableCount()).isEmpty();
    assertThat(CsiNodeRegistration.register("n", reporting(new NodeGetInfoResponse("id", -3, Optional.empty())))
        .allocatableCount()).isEmpty();
    assertThat(CsiNodeRegistration.register("n", reporting(new NodeGetInfoResponse("id", 1L << 40, Optional.empty())))
        .allocatableCount()).contains(Integer.MAX_VALUE);
  }

  @Test
  void anEmptyNodeIdIsRefused() {
    CsiException e = catchThrowableOfType(CsiException.class,
        () -> CsiNodeRegistration.register("n", reporting(new NodeGetInfoResponse("", 0, Optional.empty()))));
    assertThat(e.code()).isEqualTo(CsiCode.FAILED_PRECONDITION);
  }
}
