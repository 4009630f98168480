package io.volumekit.core.state;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * VolumeAttachments by the volume they attach ({@code spec.source.persistentVolumeName}, or for
 * an inline migrated volume the {@link Volumes#inlineVolumeName} of {@code
 * spec.source.inlineVolumeSpec}) and by node ({@code spec.nodeName}).
 *
 * <p>The attach/detach controller's actual state of the world ("which nodes is this volume
 * attached to", "what is attached to this node") and the external-attacher's and PV deleter's
 * "is this PV still attached" check. It exists because these questions are asked on every
 * reconcile of a PV and on every node transition: without it each would list every
 * VolumeAttachment in the cluster (O(attachments) per reconcile, n^2 for n pods). Here an update
 * is O(log n) and a lookup O(log n + answer).
 */
public final class AttachmentIndex implements ObjectIndex {

  private static final AttachmentIndex EMPTY = new AttachmentIndex(TreePMap.empty(), TreePMap.empty());

  private final TreePMap<String, TreePSet<ObjectKey>> byVolume;
  private final TreePMap<String, TreePSet<ObjectKey>> byNode;

  private AttachmentIndex(TreePMap<String, TreePSet<ObjectKey>> byVolume, TreePMap<String, TreePSet<ObjectKey>> byNode) {
    this.byVolume = byVolume;
    this.byNode = byNode;
  }

  /** The empty index. */
  public static AttachmentIndex empty() {
    return EMPTY;
  }

  /** Keys of the attachments whose source is the PV (or inline volume name), in key (name) order. */
  public Set<ObjectKey> ofVolume(String pvName) {
    TreePSet<ObjectKey> s = byVolume.get(pvName);
    return s == null ? Set.of() : s;
  }

  /** Keys of the attachments on the node, in key (name) order. */
  public Set<ObjectKey> onNode(String node) {
    TreePSet<ObjectKey> s = byNode.get(node);
    return s == null ? Set.of() : s;
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(VolumeAttachment.KIND));

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    if (!change.kind().equals(VolumeAttachment.KIND) || Unchanged.part(change, VolumeAttachment.class, VolumeAttachment::spec)) {
      return this;
    }
    Optional<VolumeAttachment> b = change.beforeAs(VolumeAttachment.class);
    Optional<VolumeAttachment> a = change.afterAs(VolumeAttachment.class);
    Optional<String> bv = b.flatMap(Volumes::attachedVolume);
    Optional<String> av = a.flatMap(Volumes::attachedVolume);
    Optional<String> bn = b.map(v -> v.spec().nodeName());
    Optional<String> an = a.map(v -> v.spec().nodeName());
    if (bv.equals(av) && bn.equals(an)) {
      return this;
    }
    ObjectKey key = change.key();
    return new AttachmentIndex(move(byVolume, bv, av, key), move(byNode, bn, an, key));
  }

  private static TreePMap<String, TreePSet<ObjectKey>> move(TreePMap<String, TreePSet<ObjectKey>> m,
      Optional<String> from, Optional<String> to, ObjectKey key) {
    if (from.equals(to)) {
      return m;
    }
    if (from.isPresent()) {
      TreePSet<ObjectKey> s = Optional.ofNullable(m.get(from.get())).orElse(TreePSet.empty()).minus(key);
      m = s.isEmpty() ? m.minus(from.get()) : m.plus(from.get(), s);
    }
    if (to.isPresent()) {
      m = m.plus(to.get(), m.getOrDefault(to.get(), TreePSet.empty()).plus(key));
    }
    return m;
  }
}
