package io.volumekit.store.etcd;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.store.StoreException;

/**
 * A write of a control-plane process that no longer holds the leader lease: the lease expired or
 * another process was elected. etcd refused the write, so a deposed leader's late write never
 * lands (Kubernetes' leader election leaves this to the lease duration; here every write is
 * fenced).
 */
public final class FencedException extends StoreException {

  FencedException(ObjectKey key, String leaderKey) {
    super(key, "not the leader: the write was refused because " + leaderKey
        + " is no longer held by this process's lease");
  }
}
