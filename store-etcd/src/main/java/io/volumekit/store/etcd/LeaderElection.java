package io.volumekit.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election for the control plane on an etcd lease, as Kubernetes' controller managers
 * elect a leader (a Lease object renewed by the holder), with one addition: every write of the
 * elected process is fenced. The leader key {@code <prefix>/_leader} is created under this
 * process's lease; the store's transactions then also require that key to still have the
 * creation revision this process won it with. When the lease expires (the process was killed,
 * paused, or cut off for longer than the TTL), etcd deletes the key, another process creates it
 * anew, and a late write of the old leader fails with {@link FencedException} instead of
 * landing.
 *
 * <p>Timing: the lease is renewed by jetcd's keep-alive (every third of the TTL); a standby tries
 * to take the key every {@link Options#retryInterval()}, so it takes over at most {@code TTL +
 * retryInterval} after the leader's last renewal. A process that lost leadership stays fenced;
 * to lead again it is rebuilt (its runtime's in-flight work belongs to the old term).
 */
public final class LeaderElection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  /**
   * The election's timing.
   *
   * @param leaseTtl how long the lease outlives the last renewal (etcd's minimum is about 2 s)
   * @param retryInterval how often a standby tries to take the leader key
   */
  public record Options(Duration leaseTtl, Duration retryInterval) {
    public Options {
      if (leaseTtl.toSeconds() < 1) {
        throw new IllegalArgumentException("leaseTtl must be at least 1s: " + leaseTtl);
      }
      if (retryInterval.isNegative() || retryInterval.isZero()) {
        throw new IllegalArgumentException("retryInterval must be positive: " + retryInterval);
      }
    }

    /** Kubernetes' controller-manager defaults: a 15 s lease, retried every 2 s. */
    public static Options defaults() {
      return new Options(Duration.ofSeconds(15), Duration.ofSeconds(2));
    }
  }

  private final EtcdStore store;
  private final Client client;
  private final String identity;
  private final Options options;
  private final String leaderKey;
  private final Thread campaign;
  private final List<Runnable> onElected = new CopyOnWriteArrayList<>();
  private final List<Runnable> onDeposed = new CopyOnWriteArrayList<>();

  // Guarded by this.
  private boolean leader;
  private boolean lost;
  private boolean closed;
  private long leaseId;
  private CloseableClient keepAlive;

  private LeaderElection(EtcdStore store, String identity, Options options) {
    this.store = store;
    this.client = store.client();
    this.identity = identity;
    this.options = options;
    this.leaderKey = store.keys().leader();
    this.campaign = new Thread(this::campaign, "volumekit-leader-election " + identity);
    this.campaign.setDaemon(true);
  }

  /**
   * An election for the store's cluster, not started: add listeners, then {@link #begin()}.
   * {@code identity} names this process in the leader key.
   */
  public static LeaderElection of(EtcdStore store, String identity, Options options) {
    LeaderElection e = new LeaderElection(Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(identity, "identity"), Objects.requireNonNull(options, "options"));
    return e;
  }

  /** Begins the campaign (after listeners were added). */
  public LeaderElection begin() {
    campaign.start();
    return this;
  }

  /** Called (on the election's thread) when this process becomes the leader. */
  public LeaderElection onElected(Runnable r) {
    onElected.add(Objects.requireNonNull(r, "r"));
    return this;
  }

  /** Called (on a jetcd thread) when this process loses leadership. */
  public LeaderElection onDeposed(Runnable r) {
    onDeposed.add(Objects.requireNonNull(r, "r"));
    return this;
  }

  /** Whether this process holds the leader key under a live lease, as far as it knows. */
  public synchronized boolean isLeader() {
    return leader;
  }

  /** Waits until this process is the leader; false if {@code max} passed first. */
  public synchronized boolean awaitLeadership(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!leader) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || closed || lost) {
        return leader;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Waits until this process has lost leadership; false if {@code max} passed first. */
  public synchronized boolean awaitDeposed(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!lost) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** The identity stored in the leader key, if a leader is elected. */
  public Optional<String> currentLeader() throws Exception {
    List<KeyValue> kvs = client.getKVClient().get(bytes(leaderKey), GetOption.DEFAULT)
        .get(options.leaseTtl().toMillis(), TimeUnit.MILLISECONDS).getKvs();
    return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0).getValue().toString(StandardCharsets.UTF_8));
  }

  private void campaign() {
    try {
      long ttl = options.leaseTtl().toSeconds();
      long lease = client.getLeaseClient().grant(ttl).get(options.leaseTtl().toMillis(), TimeUnit.MILLISECONDS).getID();
      synchronized (this) {
        if (closed) {
          return;
        }
        leaseId = lease;
        keepAlive = client.getLeaseClient().keepAlive(lease, new StreamObserver<LeaseKeepAliveResponse>() {
          @Override
          public void onNext(LeaseKeepAliveResponse r) {
            if (r.getTTL() <= 0) {
              lose("the lease expired");
            }
          }

          @Override
          public void onError(Throwable t) {
            lose("renewing the lease failed: " + t);
          }

          @Override
          public void onCompleted() {
            lose("the lease's keep-alive ended");
          }
        });
      }
      while (true) {
        synchronized (this) {
          if (closed || lost) {
            return;
          }
        }
        TxnResponse r = client.getKVClient().txn()
            .If(new Cmp(bytes(leaderKey), Cmp.Op.EQUAL, CmpTarget.version(0)))
            .Then(Op.put(bytes(leaderKey), bytes(identity), PutOption.builder().withLeaseId(lease).build()))
            .Else(Op.get(bytes(leaderKey), GetOption.DEFAULT))
            .commit().get(options.leaseTtl().toMillis(), TimeUnit.MILLISECONDS);
        if (r.isSucceeded()) {
          long createRevision = r.getHeader().getRevision();
          store.fence(Optional.of(new EtcdStore.Fence() {
            @Override
            public String key() {
              return leaderKey;
            }

            @Override
            public long createRevision() {
              return createRevision;
            }
          }));
          store.awaitCurrent(options.leaseTtl());
          int resumed = store.takeOverOperations();
          LOG.info("{} is the leader of {} (lease {}, {} operations taken over)", identity, store.prefix(),
              Long.toHexString(lease), resumed);
          synchronized (this) {
            leader = true;
            notifyAll();
          }
          onElected.forEach(Runnable::run);
          return;
        }
        synchronized (this) {
          TimeUnit.MILLISECONDS.timedWait(this, options.retryInterval().toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("{}: campaigning for {} failed", identity, store.prefix(), e);
      lose("campaigning failed: " + e);
    }
  }

  private void lose(String why) {
    boolean was;
    synchronized (this) {
      if (lost || closed) {
        return;
      }
      was = leader;
      lost = true;
      leader = false;
      notifyAll();
    }
    LOG.warn("{} is no longer {} of {}: {}", identity, was ? "the leader" : "a candidate", store.prefix(), why);
    if (was) {
      onDeposed.forEach(Runnable::run);
    }
  }

  /**
   * Stops renewing the lease without revoking it, as a killed process does: the lease runs out
   * after its TTL, and only then can another process take over. For fault tests.
   */
  void abandon() {
    CloseableClient k;
    synchronized (this) {
      k = keepAlive;
      keepAlive = null;
    }
    if (k != null) {
      k.close();
    }
  }

  /** Resigns: stops renewing and revokes the lease, so a standby takes over at once. */
  @Override
  public void close() {
    long lease;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      leader = false;
      lease = leaseId;
      notifyAll();
    }
    abandon();
    campaign.interrupt();
    if (lease != 0) {
      try {
        client.getLeaseClient().revoke(lease).get(options.leaseTtl().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.warn("{}: revoking lease {} failed; it expires after its TTL", identity, Long.toHexString(lease), e);
      }
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
