package io.volumekit.testkit.store;

import io.volumekit.core.Admissions;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.store.Ids;
import io.volumekit.core.store.InMemoryStore;
import io.volumekit.core.store.Store;
import java.time.Clock;

/** The store contract on the default, in-memory store. */
class InMemoryStoreContractTest extends StoreContract {

  @Override
  protected Store open(Clock clock) {
    return new InMemoryStore(ClusterState.empty(), clock, Ids.seeded(1), Admissions.defaults());
  }
}
