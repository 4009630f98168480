package io.volumekit.store.etcd;

import io.volumekit.core.store.Store;
import io.volumekit.testkit.etcd.EtcdServer;
import io.volumekit.testkit.store.StoreContract;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on etcd: each test a cluster of its own under a fresh prefix of one etcd. */
class EtcdStoreContractTest extends StoreContract {

  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  @RegisterExtension
  static final EtcdServer.PerClass ETCD = new EtcdServer.PerClass();

  @Override
  protected Store open(Clock clock) {
    return EtcdStore.connect(ETCD.server().endpoint())
        .prefix("/volumekit/contract-" + CLUSTERS.incrementAndGet())
        .operationFormat(new SameJvmOperationFormat())
        .open(clock);
  }

  @Override
  protected void close(Store store) {
    ((EtcdStore) store).close();
  }
}
