package io.volumekit.store.etcd;

import io.volumekit.core.effect.Operation;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An operation format for tests whose stores share one JVM: etcd holds a token, the operation
 * itself stays in this JVM. It exercises the store's keys, revisions and watch for operations;
 * the JSON format between processes is the CLI's.
 */
final class SameJvmOperationFormat implements OperationFormat {

  private static final Map<String, Operation> OPERATIONS = new ConcurrentHashMap<>();

  @Override
  public byte[] encode(Operation operation) {
    String token = UUID.randomUUID().toString();
    OPERATIONS.put(token, operation);
    return token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Operation decode(byte[] bytes) {
    Operation op = OPERATIONS.get(new String(bytes, StandardCharsets.UTF_8));
    if (op == null) {
      throw new IllegalArgumentException("not an operation of this JVM");
    }
    return op;
  }
}
