package io.volumekit.store.etcd;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a cluster's keys an {@link EtcdStore} lists and watches, and under which key each
 * object is kept in its snapshot, as an informer's list-watch is scoped by its selectors.
 *
 * <p>The whole cluster ({@link #everything}): one range, the cluster prefix; every object is kept
 * under its object key, and the {@link PodsByNode} copies are bookkeeping it ignores.
 *
 * <p>A node agent ({@link #podsOf}), as the kubelet watches pods with the field selector
 * {@code spec.nodeName=<node>}: every key of the cluster except the pods' object keys and the
 * pod copies, plus the copies of its own nodes' pods. A pod of another node, or not yet
 * scheduled, never reaches it; once scheduled onto one of its nodes, the pod's copy appears in a
 * watched range. The ranges are disjoint and each is watched on its own, so events of different
 * ranges are not ordered with each other (as the API server's watches of different resources are
 * not), while each key's events are.
 */
final class EtcdView {

  private final EtcdKeys keys;
  private final PodsByNode pods;
  private final ImmutableSet<String> nodes;
  private final boolean everything;
  private final ImmutableList<KeyRange> ranges;

  private EtcdView(EtcdKeys keys, Set<String> nodes, boolean everything) {
    this.keys = keys;
    this.pods = new PodsByNode(keys);
    this.nodes = ImmutableSet.copyOf(nodes);
    this.everything = everything;
    if (everything) {
      this.ranges = ImmutableList.of(KeyRange.prefix(keys.root()));
    } else {
      ImmutableList.Builder<KeyRange> b = ImmutableList.builder();
      String podKeys = keys.root() + "core/" + Pod.KIND + "/";
      // The cluster prefix without the copies and the pods' object keys ("_" sorts before "c").
      b.add(new KeyRange(keys.root(), pods.prefix()));
      b.add(new KeyRange(KeyRange.end(pods.prefix()), podKeys));
      b.add(new KeyRange(KeyRange.end(podKeys), KeyRange.end(keys.root())));
      this.nodes.forEach(n -> b.add(KeyRange.prefix(pods.prefix(n))));
      this.ranges = b.build();
    }
  }

  /** The whole cluster: every object, every pod. */
  static EtcdView everything(EtcdKeys keys) {
    return new EtcdView(keys, Set.of(), true);
  }

  /** A node agent's view: the pods of {@code nodes} and every object that is not a pod. */
  static EtcdView podsOf(EtcdKeys keys, Set<String> nodes) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("a node agent's view needs at least one node");
    }
    for (String n : nodes) {
      if (n.isEmpty() || n.contains("/")) {
        throw new IllegalArgumentException("not a node name: \"" + n + "\"");
      }
    }
    return new EtcdView(keys, nodes, false);
  }

  /** The copies of bound pods, which every store writes. */
  PodsByNode pods() {
    return pods;
  }

  /** The disjoint key ranges listed and watched. */
  List<KeyRange> ranges() {
    return ranges;
  }

  /** The index in {@link #ranges()} of the range holding {@code k}, or -1. */
  int rangeOf(String k) {
    for (int i = 0; i < ranges.size(); i++) {
      if (ranges.get(i).contains(k)) {
        return i;
      }
    }
    return -1;
  }

  /** The object a watched key holds, if it holds one (not an operation or bookkeeping). */
  Optional<ObjectKey> object(String k) {
    if (everything) {
      return keys.parseObject(k);
    }
    Optional<ObjectKey> pod = pods.parse(k);
    if (pod.isPresent()) {
      return rangeOf(k) >= 0 ? pod : Optional.empty();
    }
    return keys.parseObject(k).filter(o -> !o.kind().equals(Pod.KIND));
  }

  /** The key under which {@code object} is kept in the snapshot; empty when it is not in this view. */
  Optional<String> snapshotKey(ApiObject object) {
    if (everything) {
      return Optional.of(keys.object(object));
    }
    if (object instanceof Pod p) {
      return p.nodeName().filter(nodes::contains).map(n -> pods.key(n, ObjectKey.of(object)));
    }
    return Optional.of(keys.object(object));
  }

  /** Whether this is a node agent's view. */
  boolean scoped() {
    return !everything;
  }

  /** The keys from {@code start} (included) to {@code end} (excluded), in etcd's byte order. */
  record KeyRange(String start, String end) {

    /** Every key starting with {@code prefix}. */
    static KeyRange prefix(String prefix) {
      return new KeyRange(prefix, end(prefix));
    }

    /** The first key after every key starting with {@code prefix} (its last character plus one). */
    static String end(String prefix) {
      char last = prefix.charAt(prefix.length() - 1);
      return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }

    boolean contains(String k) {
      return k.compareTo(start) >= 0 && k.compareTo(end) < 0;
    }
  }
}
