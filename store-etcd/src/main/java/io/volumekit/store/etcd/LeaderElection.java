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
 * retryInterval} after the leader's last renewal. A candidate whose lease is lost (its
 * keep-alive failed while etcd restarted, or a request timed out) takes a new lease and campaigns
 * on. A process that lost leadership stays fenced; to lead again it is rebuilt (its runtime's
 * in-flight work belongs to the old term).
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
  private int setbacks;
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

  /**
   * The campaign: take a lease, try to create the leader key under it every {@code
   * retryInterval}. A candidate whose lease is lost (its keep-alive failed, for example while etcd
   * restarted) or whose request failed takes a new lease and goes on; only election (or close,
   * or deposition as leader) ends the campaign.
   */
  private void campaign() {
    while (true) {
      long lease;
      synchronized (this) {
        if (closed || lost) {
          return;
        }
        lease = leaseId;
      }
      try {
        if (lease == 0) {
          lease = takeLease();
        }
        if (lease != 0 && tryToLead(lease)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        LOG.warn("{}: campaigning for {} failed; trying again with a new lease", identity, store.prefix(), e);
        setback();
        dropLease(lease);
      }
      try {
        synchronized (this) {
          if (!closed && !lost) {
            TimeUnit.MILLISECONDS.timedWait(this, options.retryInterval().toMillis());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Grants a lease and keeps it alive; 0 when the election was closed meanwhile. */
  private long takeLease() throws Exception {
    long ttl = options.leaseTtl().toSeconds();
    long lease = client.getLeaseClient().grant(ttl).get(options.leaseTtl().toMillis(), TimeUnit.MILLISECONDS).getID();
    synchronized (this) {
      if (closed) {
        return 0; // the lease expires after its TTL
      }
      leaseId = lease;
      keepAlive = client.getLeaseClient().keepAlive(lease, new StreamObserver<LeaseKeepAliveResponse>() {
        @Override
        public void onNext(LeaseKeepAliveResponse r) {
          if (r.getTTL() <= 0) {
            lose(lease, "the lease expired");
          }
        }

        @Override
        public void onError(Throwable t) {
          lose(lease, "renewing the lease failed: " + t);
        }

        @Override
        public void onCompleted() {
          lose(lease, "the lease's keep-alive ended");
        }
      });
      return lease;
    }
  }

  /**
   * One attempt to create the leader key under {@code lease}. When it succeeds, fences the store,
   * takes over the operations in flight and reports the election; true then.
   */
  private boolean tryToLead(long lease) throws Exception {
    TxnResponse r = client.getKVClient().txn()
        .If(new Cmp(bytes(leaderKey), Cmp.Op.EQUAL, CmpTarget.version(0)))
        .Then(Op.put(bytes(leaderKey), bytes(identity), PutOption.builder().withLeaseId(lease).build()))
        .Else(Op.get(bytes(leaderKey), GetOption.DEFAULT))
        .commit().get(options.leaseTtl().toMillis(), TimeUnit.MILLISECONDS);
    if (!r.isSucceeded()) {
      return false;
    }
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
    int resumed;
    try {
      store.awaitCurrent(options.leaseTtl());
      resumed = store.takeOverOperations();
    } catch (Exception e) {
      store.fence(Optional.empty());
      throw e;
    }
    synchronized (this) {
      if (closed || leaseId != lease) {
        // The lease was lost before the election was reported: nothing ran as leader yet, so
        // campaign on (the key, if etcd still has it, expires with the old lease).
        store.fence(Optional.empty());
        return false;
      }
      leader = true;
      notifyAll();
    }
    LOG.info("{} is the leader of {} (lease {}, {} operations taken over)", identity, store.prefix(),
        Long.toHexString(lease), resumed);
    onElected.forEach(Runnable::run);
    return true;
  }

  /**
   * The lease {@code lease} is gone. A leader is deposed for good (its runtime's work belongs to
   * the old term); a candidate drops the lease and its campaign takes a new one.
   */
  private void lose(long lease, String why) {
    boolean was;
    synchronized (this) {
      if (lost || closed || lease != leaseId) {
        return;
      }
      was = leader;
      if (was) {
        lost = true;
        leader = false;
        notifyAll();
      }
    }
    if (was) {
      LOG.warn("{} is no longer the leader of {}: {}", identity, store.prefix(), why);
      onDeposed.forEach(Runnable::run);
    } else {
      LOG.warn("{}, a candidate for {}, lost its lease ({}); campaigning with a new one", identity, store.prefix(), why);
      setback();
      dropLease(lease);
    }
  }

  /** Forgets a candidate's lease (if it is still the current one) so the campaign takes a new one. */
  private void dropLease(long lease) {
    CloseableClient k;
    synchronized (this) {
      if (lease == 0 || lease != leaseId || leader) {
        return;
      }
      leaseId = 0;
      k = keepAlive;
      keepAlive = null;
    }
    if (k != null) {
      k.close();
    }
    // Revoked so that a leader key it may hold goes at once; if etcd is unreachable, it expires.
    client.getLeaseClient().revoke(lease);
  }

  private synchronized void setback() {
    setbacks++;
    notifyAll();
  }

  /**
   * Waits until this candidate's campaign has had {@code n} setbacks in all (a request failed or
   * its lease was lost, and it went on with a new lease); false if {@code max} passed first. For
   * fault tests.
   */
  synchronized boolean awaitSetbacks(int n, Duration max) throws InterruptedException {
    return EtcdStore.awaitUntil(this, () -> setbacks >= n, max);
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
