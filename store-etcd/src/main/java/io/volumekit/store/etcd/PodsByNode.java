package io.volumekit.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The per-node copy of bound pods, which lets a node agent watch only its nodes' pods. etcd has
 * no server-side field selector like the API server's {@code spec.nodeName=<node>}, which the
 * kubelet's pod watch uses; instead every pod with a {@code spec.nodeName} is written twice in one
 * transaction: at its object key and at {@code <prefix>/_pods-by-node/<node>/<namespace>/<name>},
 * with the same JSON. Both keys therefore always have the same modification revision (the pod's
 * resourceVersion). When a pod is scheduled (its nodeName set), the copy appears under the node;
 * when it is removed (or, which Kubernetes forbids, moved), the copy is deleted in the same
 * transaction.
 */
final class PodsByNode {

  private static final String INDEX = "_pods-by-node/";

  private final String root;

  PodsByNode(EtcdKeys keys) {
    this.root = keys.root() + INDEX;
  }

  /** The prefix of every copy (ends with {@code /}). */
  String prefix() {
    return root;
  }

  /** The prefix of the copies of {@code node}'s pods (ends with {@code /}). */
  String prefix(String node) {
    return root + node + "/";
  }

  /** The key of the copy of a pod bound to {@code node}. */
  String key(String node, ObjectKey pod) {
    return prefix(node) + pod.namespace() + "/" + pod.name();
  }

  /** The key of the copy of {@code object}, if it is a pod bound to a node. */
  Optional<String> key(ApiObject object) {
    return node(object).map(n -> key(n, ObjectKey.of(object)));
  }

  /** The pod a copy's key names, if {@code k} is one. */
  Optional<ObjectKey> parse(String k) {
    if (!k.startsWith(root)) {
      return Optional.empty();
    }
    String[] parts = k.substring(root.length()).split("/", -1);
    return parts.length == 3 ? Optional.of(new ObjectKey(Pod.KIND, parts[1], parts[2])) : Optional.empty();
  }

  /**
   * The operations that keep the copies in step with a write of an object from {@code before}
   * (empty for a create) to {@code after} (empty for a removal), whose JSON is {@code value}:
   * nothing for other kinds and unbound pods.
   */
  List<Op> writes(Optional<ApiObject> before, Optional<ApiObject> after, ByteSequence value) {
    List<Op> ops = new ArrayList<>();
    Optional<String> was = before.flatMap(this::key);
    Optional<String> now = after.flatMap(this::key);
    now.ifPresent(k -> ops.add(Op.put(bytes(k), value, PutOption.DEFAULT)));
    was.filter(k -> !now.equals(Optional.of(k)))
        .ifPresent(k -> ops.add(Op.delete(bytes(k), DeleteOption.DEFAULT)));
    return ops;
  }

  private static Optional<String> node(ApiObject object) {
    return object instanceof Pod p ? p.nodeName() : Optional.empty();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
