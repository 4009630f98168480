package io.volumekit.core.csi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void toStringOfSecretsAndOfRequestsNeverShowsSecretValues() {
    qt().forAll(integers().between(1, 5), longs().between(0, Long.MAX_VALUE)).check((n, seed) -> {
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < n; i++) {
        m.put("key" + i, "s3cr3t-" + (seed + i));
      }
      Secrets s = Secrets.of(m);
      String[] shown = {
        s.toString(),
        CreateVolumeRequest.of("v", 1, VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER)).withSecrets(s).toString(),
        new NodeStageVolumeRequest("v", null, "/s", Optional.empty(), s, null).toString(),
        new NodePublishVolumeRequest("v", null, "/s", "/t", Optional.empty(), false, s, null).toString(),
        new ControllerPublishVolumeRequest("v", "n", Optional.empty(), false, s, null).toString(),
        new DeleteVolumeRequest("v", s).toString()
      };
      for (String text : shown) {
        if (text.contains("s3cr3t")) {
          return false;
        }
      }
      return shown[0].contains("key0=***");
    });
  }

  @Test
  void secretsCompareByContent() {
    assertThat(Secrets.of(Map.of("a", "b"))).isEqualTo(Secrets.of(Map.of("a", "b")));
    assertThat(Secrets.of(Map.of())).isSameAs(Secrets.none());
    assertThat(Secrets.of(null).isEmpty()).isTrue();
  }
}
