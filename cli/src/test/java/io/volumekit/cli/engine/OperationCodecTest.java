package io.volumekit.cli.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.ObjectKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperationCodecTest {

  private static Operation stage(String volume, Secrets secrets) {
    NodeStageVolumeRequest request = new NodeStageVolumeRequest(volume, ImmutableMap.of("path", "/v/" + volume),
        "/kubelet/plugins/" + volume + "/globalmount", Optional.of(VolumeCapability.mount("ext4", AccessMode.SINGLE_NODE_WRITER)),
        secrets, ImmutableMap.of("k", "v"));
    return Operation.started(new NodeStage(EffectId.of("mountdevice/node-1/" + volume),
        new ObjectKey("kubelet.volumekit.io/DeviceMount", "node-1", volume), "kubelet", "d", "node-1", volume, true,
        request), 1).succeeded(null);
  }

  @Test
  void succeededOperationsReadBackEqual() {
    List<Operation> ops = List.of(stage("a", Secrets.none()), stage("b", Secrets.none()));
    assertThat(OperationCodec.read(OperationCodec.write(ops))).containsExactlyElementsOf(ops);
  }

  @Test
  void secretsAreNeverWrittenAndFailedOperationsAreNotKept() {
    Operation withSecret = stage("a", Secrets.of(ImmutableMap.of("password", "hunter2")));
    Operation failed = Operation.started(stage("b", Secrets.none()).effect(), 1)
        .failed(new EffectFailure(io.volumekit.core.csi.CsiCode.INTERNAL, "boom"), java.time.Instant.EPOCH);
    JsonNode json = OperationCodec.write(List.of(withSecret, failed));
    assertThat(json.toString()).doesNotContain("hunter2").doesNotContain("password").doesNotContain("mountdevice/node-1/b");
    List<Operation> back = OperationCodec.read(json);
    assertThat(back).hasSize(1);
    assertThat(((NodeStage) back.get(0).effect()).request().secrets()).isEqualTo(Secrets.none());
  }
}
