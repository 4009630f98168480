package io.volumekit.testkit.csi;

import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.ForwardingCsiDriver;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A driver whose first CreateVolume is held until the test {@link #release()}s it, as a call that
 * a control plane started just before it died: for failover tests, which kill the caller while
 * {@link #awaitHeld} says the call is in the driver. It counts CreateVolume calls and the most
 * that ran at once (a new leader must not repeat a call while the first still runs).
 */
public final class GatedCsiDriver extends ForwardingCsiDriver {

  private final Duration maxHold;
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  /** Holds the first CreateVolume sent to {@code delegate} for at most {@code maxHold}. */
  public GatedCsiDriver(CsiDriver delegate, Duration maxHold) {
    super(delegate);
    this.maxHold = maxHold;
  }

  @Override
  public CreateVolumeResponse createVolume(CreateVolumeRequest request) {
    int call = calls.incrementAndGet();
    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      if (call == 1) {
        entered.countDown();
        release.await(maxHold.toMillis(), TimeUnit.MILLISECONDS);
      }
      return super.createVolume(request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      running.decrementAndGet();
    }
  }

  /** Waits until the first CreateVolume is held; false if {@code max} passed first. */
  public boolean awaitHeld(Duration max) throws InterruptedException {
    return entered.await(max.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Lets the held call go on to the delegate. */
  public void release() {
    release.countDown();
  }

  /** How many CreateVolume calls arrived. */
  public int calls() {
    return calls.get();
  }

  /** The most CreateVolume calls that ran at the same time. */
  public int mostAtOnce() {
    return mostAtOnce.get();
  }
}
