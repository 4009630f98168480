package io.volumekit.cli.engine;

import io.volumekit.core.effect.Operation;
import io.volumekit.store.etcd.OperationFormat;

/**
 * The CLI's operation codec as the etcd store's {@link OperationFormat}: one operation per key, as
 * the JSON object the state file holds (types by their stable names, secrets left out), so that
 * processes of different builds share operations in etcd as CLI invocations share the state file.
 */
public final class JsonOperationFormat implements OperationFormat {

  @Override
  public byte[] encode(Operation operation) {
    return OperationCodec.encodeOne(operation);
  }

  @Override
  public Operation decode(byte[] bytes) {
    return OperationCodec.decodeOne(bytes);
  }
}
