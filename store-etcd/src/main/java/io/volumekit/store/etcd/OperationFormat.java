package io.volumekit.store.etcd;

import io.volumekit.core.effect.Operation;

/**
 * How the engine's operations (effects in flight and their outcomes) are written to etcd, so that
 * another process taking over the control plane sees what was started and does not issue it a
 * second time. The CLI's operation codec is one; the format must keep secrets out of its text or
 * the etcd cluster must be trusted with them (Kubernetes keeps Secrets in etcd too).
 */
public interface OperationFormat {

  /** The operation as bytes. */
  byte[] encode(Operation operation);

  /** The operation the bytes encode; throws {@link IllegalArgumentException} if they do not. */
  Operation decode(byte[] bytes);
}
