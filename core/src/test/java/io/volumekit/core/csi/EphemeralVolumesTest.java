package io.volumekit.core.csi;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EphemeralVolumesTest {
  private static final VolumeCapability RWO = VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER);

  private static NodePublishVolumeRequest publish(String id, String staging, ImmutableMap<String, String> context) {
    return new NodePublishVolumeRequest(id, null, staging, "/t", Optional.of(RWO), false, Secrets.none(), context);
  }

  @Test
  void theKubeletHandleIsCsiDashSha256OfPodUidAndVolumeName() {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assertThat(EphemeralVolumes.volumeHandle("a", "bc"))
        .isEqualTo("csi-ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(EphemeralVolumes.isInlineHandle(EphemeralVolumes.volumeHandle("uid", "scratch"))).isTrue();
    assertThat(EphemeralVolumes.isInlineHandle("vol-1")).isFalse();
  }

  @Test
  void theContextFlagDecidesAndOtherwiseTheShapeOfTheCall() {
    String handle = EphemeralVolumes.volumeHandle("uid", "v");
    assertThat(EphemeralVolumes.isEphemeral(publish("vol-1", "", ImmutableMap.of(
        EphemeralVolumes.EPHEMERAL_CONTEXT_KEY, "true")), true)).isTrue();
    assertThat(EphemeralVolumes.isEphemeral(publish(handle, "", ImmutableMap.of(
        EphemeralVolumes.EPHEMERAL_CONTEXT_KEY, "false")), false)).isFalse();
    assertThat(EphemeralVolumes.isEphemeral(publish(handle, "", ImmutableMap.of()), false)).isTrue();
    assertThat(EphemeralVolumes.isEphemeral(publish(handle, "/staging", ImmutableMap.of()), false)).isFalse();
    assertThat(EphemeralVolumes.isEphemeral(publish(handle, "", ImmutableMap.of()), true)).isFalse();
  }
}
