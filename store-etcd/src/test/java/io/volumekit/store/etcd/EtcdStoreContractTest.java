package io.volumekit.store.etcd;

import io.volumekit.core.store.Store;
import io.volumekit.testkit.etcd.EtcdServer;
import io.volumekit.testkit.store.StoreContract;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on etcd: each test a cluster of its own under a fresh prefix of one etcd. */
class EtcdStoreContractTest extends StoreContract {

  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static EtcdServer etcd;

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdServer.start();
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @Override
  protected Store open(Clock clock) {
    return EtcdStore.connect(etcd.endpoint())
        .prefix("/volumekit/contract-" + CLUSTERS.incrementAndGet())
        .operationFormat(new SameJvmOperationFormat())
        .open(clock);
  }

  @Override
  protected void close(Store store) {
    ((EtcdStore) store).close();
  }
}
