package io.volumekit.core.csi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CsiCodeTest {

  @Test
  void onlyKubernetesNonFinalCodesMayStillBeInProgress() {
    Set<CsiCode> nonFinal = EnumSet.of(CsiCode.CANCELLED, CsiCode.DEADLINE_EXCEEDED, CsiCode.UNAVAILABLE,
        CsiCode.ABORTED, CsiCode.RESOURCE_EXHAUSTED);
    for (CsiCode c : CsiCode.values()) {
      assertThat(c.mayBeInProgress()).as(c.name()).isEqualTo(nonFinal.contains(c));
      assertThat(c.isFinal()).isEqualTo(!c.mayBeInProgress());
    }
  }

  @Test
  void codesThatNeedAFixedRequestAreNotRetryable() {
    assertThat(CsiCode.UNIMPLEMENTED.retryable()).isFalse();
    assertThat(CsiCode.INVALID_ARGUMENT.retryable()).isFalse();
    assertThat(CsiCode.ALREADY_EXISTS.retryable()).isFalse();
    assertThat(CsiCode.OUT_OF_RANGE.retryable()).isFalse();
    assertThat(CsiCode.ABORTED.retryable()).isTrue();
    assertThat(CsiCode.NOT_FOUND.retryable()).isTrue();
    assertThat(CsiCode.FAILED_PRECONDITION.retryable()).isTrue();
    assertThat(CsiCode.RESOURCE_EXHAUSTED.retryable()).isTrue();
  }

  @Test
  void numericValuesRoundTripAndUnknownNumbersAreUnknown() {
    qt().forAll(integers().between(-5, 40)).check(v -> {
      CsiCode c = CsiCode.fromValue(v);
      return v >= 0 && v <= 16 ? c.value() == v : c == CsiCode.UNKNOWN;
    });
  }

  @Test
  void anExceptionNeedsANonOkCode() {
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new CsiException(CsiCode.OK, "x")))
        .isInstanceOf(IllegalArgumentException.class);
    CsiException e = new CsiException(CsiCode.NOT_FOUND, "volume v does not exist");
    assertThat(e.getMessage()).isEqualTo("NOT_FOUND: volume v does not exist");
    assertThat(e.description()).isEqualTo("volume v does not exist");
  }
}
