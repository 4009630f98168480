package io.volumekit.store.etcd;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.store.StoreException;

/**
 * etcd did not answer in time or refused the connection: the API server's 503 or 504. The write
 * may or may not have happened; the watch shows which. The runtime retries with backoff as it
 * does any refused write.
 */
public final class StoreUnavailableException extends StoreException {

  StoreUnavailableException(ObjectKey key, String what, Throwable cause) {
    super(key, "the server is currently unable to handle the request (" + what + ": "
        + cause.getClass().getSimpleName() + ")");
    initCause(cause);
  }
}
