package io.volumekit.cli.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Operations as the etcd store keeps them: every status, one per value. */
class JsonOperationFormatTest {

  private final JsonOperationFormat format = new JsonOperationFormat();

  @Test
  void operationsOfEveryStatusReadBackEqual() {
    for (Operation done : SampleOperations.all()) {
      Operation started = Operation.started(done.effect(), 2, false);
      Operation failed = started.failed(new EffectFailure(CsiCode.UNAVAILABLE, "gone"), Instant.parse("2026-01-02T03:04:05Z"));
      for (Operation op : List.of(done, started, failed)) {
        byte[] json = format.encode(op);
        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("io.volumekit");
        assertThat(format.decode(json)).isEqualTo(op);
      }
    }
  }

  @Test
  void bytesThatAreNoOperationAreRefused() {
    assertThatThrownBy(() -> format.decode("{\"nope\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an operation");
  }
}
