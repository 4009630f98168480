package io.volumekit.core.expansion;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimCondition;
import io.volumekit.model.quantity.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A claim's resize bookkeeping, as Kubernetes' resize helpers keep it ({@code
 * pkg/volume/util/resize_util.go} in the kubelet, {@code resize_status.go} in the external-resizer):
 * the {@code storage} entries of {@code status.allocatedResources} and {@code
 * status.allocatedResourceStatuses} (KEP-1790), and the resize conditions.
 */
public final class ClaimResize {

  /** The resource name of a volume's size. */
  public static final String STORAGE = "storage";

  /** Condition: the external-resizer is expanding the volume on the controller. */
  public static final String RESIZING = "Resizing";
  /** Condition: the controller step is done; the kubelet must grow the volume on a node. */
  public static final String FILE_SYSTEM_RESIZE_PENDING = "FileSystemResizePending";
  /** Condition: ControllerExpandVolume failed with a final error. */
  public static final String CONTROLLER_RESIZE_ERROR = "ControllerResizeError";
  /** Condition: NodeExpandVolume failed with a final error. */
  public static final String NODE_RESIZE_ERROR = "NodeResizeError";

  /** {@code allocatedResourceStatuses.storage} values. */
  public static final String CONTROLLER_RESIZE_IN_PROGRESS = "ControllerResizeInProgress";
  public static final String CONTROLLER_RESIZE_INFEASIBLE = "ControllerResizeInfeasible";
  public static final String NODE_RESIZE_PENDING = "NodeResizePending";
  public static final String NODE_RESIZE_IN_PROGRESS = "NodeResizeInProgress";
  public static final String NODE_RESIZE_INFEASIBLE = "NodeResizeInfeasible";

  /** PVC annotation: the controller step finished and the driver needs no node step. */
  public static final String NODE_EXPANSION_NOT_REQUIRED = "volume.kubernetes.io/node-expansion-not-required";

  /** The FileSystemResizePending condition's message. */
  public static final String FS_RESIZE_PENDING_MESSAGE =
      "Waiting for user to (re-)start a pod to finish file system resize of volume on node.";

  private static final Set<String> RESIZE_CONDITIONS =
      Set.of(RESIZING, FILE_SYSTEM_RESIZE_PENDING, CONTROLLER_RESIZE_ERROR, NODE_RESIZE_ERROR);

  private ClaimResize() {}

  /** {@code allocatedResourceStatuses.storage}, if set. */
  public static Optional<String> status(PersistentVolumeClaim c) {
    return Optional.ofNullable(c.status().allocatedResourceStatuses().get(STORAGE));
  }

  /** {@code allocatedResources.storage}, if set. */
  public static Optional<Quantity> allocated(PersistentVolumeClaim c) {
    return Optional.ofNullable(c.status().allocatedResources().get(STORAGE));
  }

  /** {@code status.capacity.storage} (zero when unset). */
  public static Quantity capacity(PersistentVolumeClaim c) {
    return c.status().capacity().getOrDefault(STORAGE, Quantity.ZERO);
  }

  /** {@code spec.resources.requests.storage} (zero when unset). */
  public static Quantity requested(PersistentVolumeClaim c) {
    return c.requestedStorage().orElse(Quantity.ZERO);
  }

  /** The PV's {@code spec.capacity.storage} (zero when unset). */
  public static Quantity capacity(PersistentVolume pv) {
    return pv.capacityStorage().orElse(Quantity.ZERO);
  }

  /** Whether the claim has the condition with status True. */
  public static boolean hasCondition(PersistentVolumeClaim c, String type) {
    return c.status().conditions().stream().anyMatch(x -> x.type().equals(type) && x.status().equals("True"));
  }

  /** The claim with {@code allocatedResourceStatuses.storage} set, or removed when empty. */
  static PersistentVolumeClaim withStatus(PersistentVolumeClaim c, Optional<String> status) {
    Map<String, String> m = new LinkedHashMap<>(c.status().allocatedResourceStatuses());
    if (status.isPresent()) {
      m.put(STORAGE, status.get());
    } else {
      m.remove(STORAGE);
    }
    return c.withStatus(c.status().withAllocatedResourceStatuses(ImmutableMap.copyOf(m)));
  }

  /** The claim with {@code allocatedResources.storage} set. */
  static PersistentVolumeClaim withAllocated(PersistentVolumeClaim c, Quantity size) {
    Map<String, Quantity> m = new LinkedHashMap<>(c.status().allocatedResources());
    m.put(STORAGE, size);
    return c.withStatus(c.status().withAllocatedResources(ImmutableMap.copyOf(m)));
  }

  /** The claim with {@code status.capacity.storage} set. */
  static PersistentVolumeClaim withCapacity(PersistentVolumeClaim c, Quantity size) {
    Map<String, Quantity> m = new LinkedHashMap<>(c.status().capacity());
    m.put(STORAGE, size);
    return c.withStatus(c.status().withCapacity(ImmutableMap.copyOf(m)));
  }

  /**
   * The claim with a True condition of the type (replacing one of the same type; Kubernetes'
   * {@code MergeResizeConditionOnPVC} keeping the other resize conditions). An unchanged condition
   * is kept as it is, so its transition time stays. The store stamps the time of a new one.
   */
  static PersistentVolumeClaim withCondition(PersistentVolumeClaim c, String type, String message) {
    List<PersistentVolumeClaimCondition> out = new java.util.ArrayList<>();
    boolean kept = false;
    for (PersistentVolumeClaimCondition x : c.status().conditions()) {
      if (!x.type().equals(type)) {
        out.add(x);
      } else if (x.status().equals("True") && x.message().orElse("").equals(message)) {
        out.add(x);
        kept = true;
      }
    }
    if (!kept) {
      out.add(new PersistentVolumeClaimCondition(type, "True", Optional.empty(), Optional.empty(), Optional.empty(),
          message.isEmpty() ? Optional.empty() : Optional.of(message)));
    }
    return c.withStatus(c.status().withConditions(ImmutableList.copyOf(out)));
  }

  /** The claim without the condition type. */
  static PersistentVolumeClaim withoutCondition(PersistentVolumeClaim c, String type) {
    return c.withStatus(c.status().withConditions(c.status().conditions().stream()
        .filter(x -> !x.type().equals(type)).collect(ImmutableList.toImmutableList())));
  }

  /** The claim without any resize condition (an expansion finished). */
  static PersistentVolumeClaim withoutResizeConditions(PersistentVolumeClaim c) {
    return c.withStatus(c.status().withConditions(c.status().conditions().stream()
        .filter(x -> !RESIZE_CONDITIONS.contains(x.type())).collect(ImmutableList.toImmutableList())));
  }

  /**
   * The claim once the whole expansion finished at {@code size}: capacity set, the status entry
   * and the resize conditions removed ({@code MarkNodeExpansionFinishedWithRecovery},
   * {@code markOverallExpansionAsFinished}); allocatedResources raised to the capacity if a driver
   * gave more than asked, so it never stays below it.
   */
  static PersistentVolumeClaim finished(PersistentVolumeClaim c, Quantity size) {
    PersistentVolumeClaim next = withoutResizeConditions(withStatus(withCapacity(c, size), Optional.empty()));
    if (allocated(next).map(a -> a.compareTo(size) < 0).orElse(false)) {
      next = withAllocated(next, size);
    }
    return next;
  }
}
