package io.volumekit.testkit.csi;

import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeResponse;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A driver whose first call of one kind ({@link Call}: CreateVolume unless told otherwise) is held
 * until the test {@link #release()}s it, as a call that a control plane or a node agent started
 * just before it died: for failover tests, which kill the caller while {@link #awaitHeld} says
 * the call is in the driver. It counts the calls of each kind and the most that ran at once (a
 * process taking over must not repeat a call while the first still runs). Told to, it answers
 * ABORTED to the calls that arrive while the first is held ({@link #abortingWhileHeld()}).
 */
public final class GatedCsiDriver extends ForwardingCsiDriver {

  /** The calls counted; one of them is gated. */
  public enum Call {
    /** CreateVolume (the external-provisioner's call). */
    CREATE_VOLUME,
    /** ControllerPublishVolume (the external-attacher's call). */
    CONTROLLER_PUBLISH_VOLUME,
    /** NodeStageVolume (the kubelet's device staging). */
    NODE_STAGE_VOLUME,
    /** NodePublishVolume (the kubelet's mount for a pod). */
    NODE_PUBLISH_VOLUME
  }

  private final Call gated;
  private volatile boolean abortWhileHeld;
  private final AtomicInteger aborted = new AtomicInteger();
  private final CountDownLatch firstAbort = new CountDownLatch(1);
  private final Duration maxHold;
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final Map<Call, AtomicInteger> calls = new EnumMap<>(Call.class);
  private final Map<Call, AtomicInteger> running = new EnumMap<>(Call.class);
  private final Map<Call, AtomicInteger> mostAtOnce = new EnumMap<>(Call.class);

  /** Holds the first CreateVolume sent to {@code delegate} for at most {@code maxHold}. */
  public GatedCsiDriver(CsiDriver delegate, Duration maxHold) {
    this(delegate, Call.CREATE_VOLUME, maxHold);
  }

  /** Holds the first {@code gated} call sent to {@code delegate} for at most {@code maxHold}. */
  public GatedCsiDriver(CsiDriver delegate, Call gated, Duration maxHold) {
    super(delegate);
    this.gated = gated;
    this.maxHold = maxHold;
    for (Call c : Call.values()) {
      calls.put(c, new AtomicInteger());
      running.put(c, new AtomicInteger());
      mostAtOnce.put(c, new AtomicInteger());
    }
  }

  @Override
  public CreateVolumeResponse createVolume(CreateVolumeRequest request) {
    return call(Call.CREATE_VOLUME, () -> super.createVolume(request));
  }

  @Override
  public ControllerPublishVolumeResponse controllerPublishVolume(ControllerPublishVolumeRequest request) {
    return call(Call.CONTROLLER_PUBLISH_VOLUME, () -> super.controllerPublishVolume(request));
  }

  @Override
  public void nodeStageVolume(NodeStageVolumeRequest request) {
    call(Call.NODE_STAGE_VOLUME, () -> {
      super.nodeStageVolume(request);
      return null;
    });
  }

  @Override
  public void nodePublishVolume(NodePublishVolumeRequest request) {
    call(Call.NODE_PUBLISH_VOLUME, () -> {
      super.nodePublishVolume(request);
      return null;
    });
  }

  /**
   * From now on, a gated call that arrives while the first is held is answered {@code ABORTED}
   * without reaching the delegate, as CSI asks of a driver that gets a second call for a volume
   * with one pending (a caller that restarted and lost track of its call, for instance).
   */
  public GatedCsiDriver abortingWhileHeld() {
    abortWhileHeld = true;
    return this;
  }

  private <T> T call(Call kind, Supplier<T> delegate) {
    if (kind == gated && abortWhileHeld && entered.getCount() == 0 && release.getCount() > 0) {
      aborted.incrementAndGet();
      firstAbort.countDown();
      throw new CsiException(CsiCode.ABORTED, "an operation for this volume is already in progress");
    }
    int n = calls.get(kind).incrementAndGet();
    mostAtOnce.get(kind).accumulateAndGet(running.get(kind).incrementAndGet(), Math::max);
    try {
      if (kind == gated && n == 1) {
        entered.countDown();
        release.await(maxHold.toMillis(), TimeUnit.MILLISECONDS);
      }
      return delegate.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      running.get(kind).decrementAndGet();
    }
  }

  /** Waits until the first gated call is held; false if {@code max} passed first. */
  public boolean awaitHeld(Duration max) throws InterruptedException {
    return entered.await(max.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until a gated call was answered ABORTED ({@link #abortingWhileHeld()}); false if {@code max} passed first. */
  public boolean awaitAborted(Duration max) throws InterruptedException {
    return firstAbort.await(max.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** How many gated calls were answered ABORTED while the first was held. */
  public int aborted() {
    return aborted.get();
  }

  /** Lets the held call go on to the delegate. */
  public void release() {
    release.countDown();
  }

  /** How many gated calls (CreateVolume unless told otherwise) arrived. */
  public int calls() {
    return calls(gated);
  }

  /** How many calls of one kind arrived. */
  public int calls(Call kind) {
    return calls.get(kind).get();
  }

  /** The most gated calls that ran at the same time. */
  public int mostAtOnce() {
    return mostAtOnce(gated);
  }

  /** The most calls of one kind that ran at the same time. */
  public int mostAtOnce(Call kind) {
    return mostAtOnce.get(kind).get();
  }
}
