package io.volumekit.core;

import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.ForwardingCsiDriver;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

/**
 * A CSI driver wrapper that fails CreateVolume and DeleteVolume on demand: scripted failures
 * (queued codes, applied to the next calls) or random ones from a seed. A failure with an
 * "in progress" code (DEADLINE_EXCEEDED, UNAVAILABLE...) can be made to happen after the call
 * reached the driver, as a timeout does.
 */
public final class FaultyDriver extends ForwardingCsiDriver {

  public final Deque<CsiCode> createFailures = new ArrayDeque<>();
  public final Deque<CsiCode> deleteFailures = new ArrayDeque<>();
  private final Random random;
  private final double rate;
  private final int maxConsecutive;
  private int consecutive;
  public int createCalls;
  public int deleteCalls;
  public final java.util.List<CreateVolumeRequest> creates = new java.util.ArrayList<>();
  public final java.util.List<DeleteVolumeRequest> deletes = new java.util.ArrayList<>();

  /** Scripted faults only. */
  public FaultyDriver(CsiDriver delegate) {
    this(delegate, 0, 0, 0);
  }

  /** Random faults with the rate, never more than {@code maxConsecutive} in a row. */
  public FaultyDriver(CsiDriver delegate, long seed, double rate, int maxConsecutive) {
    super(delegate);
    this.random = new Random(seed);
    this.rate = rate;
    this.maxConsecutive = maxConsecutive;
  }

  private static final CsiCode[] RANDOM_CODES = {
    CsiCode.UNAVAILABLE, CsiCode.DEADLINE_EXCEEDED, CsiCode.INTERNAL, CsiCode.ABORTED
  };

  private CsiCode next(Deque<CsiCode> script) {
    if (!script.isEmpty()) {
      return script.poll();
    }
    if (rate > 0 && consecutive < maxConsecutive && random.nextDouble() < rate) {
      consecutive++;
      return RANDOM_CODES[random.nextInt(RANDOM_CODES.length)];
    }
    consecutive = 0;
    return null;
  }

  @Override
  public CreateVolumeResponse createVolume(CreateVolumeRequest request) {
    createCalls++;
    creates.add(request);
    CsiCode code = next(createFailures);
    if (code == null) {
      return delegate().createVolume(request);
    }
    if (code.mayBeInProgress()) {
      delegate().createVolume(request); // the driver did the work; the answer was lost
    }
    throw new CsiException(code, "injected " + code);
  }

  @Override
  public void deleteVolume(DeleteVolumeRequest request) {
    deleteCalls++;
    deletes.add(request);
    CsiCode code = next(deleteFailures);
    if (code == null) {
      delegate().deleteVolume(request);
      return;
    }
    throw new CsiException(code, "injected " + code);
  }
}
