package io.volumekit.core.metrics;

import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.effect.ControllerPublish;
import io.volumekit.core.effect.ControllerUnpublish;
import io.volumekit.core.effect.CreateSnapshot;
import io.volumekit.core.effect.CreateVolume;
import io.volumekit.core.effect.DeleteSnapshot;
import io.volumekit.core.effect.DeleteVolume;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.ListSnapshot;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.NodeUnpublish;
import io.volumekit.core.effect.NodeUnstage;
import io.volumekit.core.effect.RemoveLocalVolume;
import io.volumekit.core.effect.SetUpHostPath;
import io.volumekit.core.effect.SetVolumeOwnership;
import io.volumekit.core.effect.WriteLocalVolume;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.Pod;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What an effect is in Kubernetes' metrics: the storage operation it performs ({@code
 * volume_plugin}, {@code operation_name}) and the CSI method it calls. Computed by the runtime
 * from the state when the effect starts, recorded when it returns.
 *
 * <p>Operation names are Kubernetes': {@code volume_provision}, {@code volume_delete} (PV
 * controller), {@code volume_attach}, {@code volume_detach} (attach/detach controller), {@code
 * volume_mount}, {@code volume_unmount}, {@code unmount_device}, {@code
 * volume_fsgroup_recursive_apply} (kubelet). NodeStageVolume has no operation of its own: Kubernetes
 * times MountDevice inside {@code volume_mount}; volumekit's {@code volume_mount} is the
 * NodePublishVolume (or the local write) alone (docs/kubernetes-differences.md row 90).
 */
public final class StorageOperations {

  private StorageOperations() {}

  /**
   * The labels of one effect.
   *
   * @param plugin the volume_plugin label, if the effect is a storage operation
   * @param operation the operation_name label, if the effect is a storage operation
   * @param driver the CSI driver, if the effect is a CSI call
   * @param method the full gRPC method, if the effect is a CSI call
   */
  public record Labels(Optional<String> plugin, Optional<String> operation, Optional<String> driver,
      Optional<String> method) {
    public Labels {
      Objects.requireNonNull(plugin, "plugin");
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(driver, "driver");
      Objects.requireNonNull(method, "method");
    }

    /** Reports the effect's outcome: its failure's code, or none for success. */
    public void record(EngineMetrics metrics, Optional<CsiCode> failure, Duration took) {
      if (plugin.isPresent() && operation.isPresent()) {
        metrics.storageOperation(plugin.get(), operation.get(), failure.isEmpty(), took);
      }
      if (driver.isPresent() && method.isPresent()) {
        metrics.csiCall(driver.get(), method.get(), failure.map(StorageOperations::grpcName).orElse("OK"), took);
      }
    }
  }

  private static final String CONTROLLER = "/csi.v1.Controller/";
  private static final String NODE = "/csi.v1.Node/";

  /** The labels of an effect started on this state. */
  public static Labels of(ClusterState state, Effect effect) {
    if (effect instanceof CreateVolume e) {
      return csi(e.driver(), "volume_provision", CONTROLLER + "CreateVolume");
    } else if (effect instanceof DeleteVolume e) {
      return csi(e.driver(), "volume_delete", CONTROLLER + "DeleteVolume");
    } else if (effect instanceof ControllerPublish e) {
      return csi(e.driver(), "volume_attach", CONTROLLER + "ControllerPublishVolume");
    } else if (effect instanceof ControllerUnpublish e) {
      return csi(e.driver(), "volume_detach", CONTROLLER + "ControllerUnpublishVolume");
    } else if (effect instanceof CreateSnapshot e) {
      return call(e.driver(), CONTROLLER + "CreateSnapshot");
    } else if (effect instanceof DeleteSnapshot e) {
      return call(e.driver(), CONTROLLER + "DeleteSnapshot");
    } else if (effect instanceof io.volumekit.core.effect.CreateGroupSnapshot e) {
      return call(e.driver(), "/csi.v1.GroupController/CreateVolumeGroupSnapshot");
    } else if (effect instanceof io.volumekit.core.effect.DeleteGroupSnapshot e) {
      return call(e.driver(), "/csi.v1.GroupController/DeleteVolumeGroupSnapshot");
    } else if (effect instanceof io.volumekit.core.effect.GetGroupSnapshot e) {
      return call(e.driver(), "/csi.v1.GroupController/GetVolumeGroupSnapshot");
    } else if (effect instanceof ListSnapshot e) {
      return call(e.driver(), CONTROLLER + "ListSnapshots");
    } else if (effect instanceof NodeStage e) {
      return e.rpc() ? call(e.driver(), NODE + "NodeStageVolume") : none();
    } else if (effect instanceof NodeUnstage e) {
      return e.rpc() ? csi(e.driver(), "unmount_device", NODE + "NodeUnstageVolume")
          : operation(PluginNames.csi(e.driver()), "unmount_device");
    } else if (effect instanceof NodePublish e) {
      return csi(e.driver(), "volume_mount", NODE + "NodePublishVolume");
    } else if (effect instanceof NodeUnpublish e) {
      return csi(e.driver(), "volume_unmount", NODE + "NodeUnpublishVolume");
    } else if (effect instanceof WriteLocalVolume e) {
      return operation(podPlugin(state, e.owner(), e.podVolume()), "volume_mount");
    } else if (effect instanceof SetUpHostPath e) {
      return operation(podPlugin(state, e.owner(), e.podVolume()), "volume_mount");
    } else if (effect instanceof RemoveLocalVolume e) {
      return e.pruneOnly() ? none() : operation(podPlugin(state, e.owner(), e.podVolume()), "volume_unmount");
    } else if (effect instanceof SetVolumeOwnership e) {
      return operation(podPlugin(state, e.owner(), e.podVolume()), "volume_fsgroup_recursive_apply");
    }
    return none(); // plugin registration: the kubelet's registration, not a volume operation
  }

  /** gRPC's spelling of a code, as Go's {@code codes.Code.String()} prints it (e.g. DeadlineExceeded). */
  public static String grpcName(CsiCode code) {
    if (code == CsiCode.OK) {
      return "OK";
    }
    if (code == CsiCode.CANCELLED) {
      return "Canceled";
    }
    StringBuilder b = new StringBuilder();
    for (String part : code.name().split("_")) {
      b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return b.toString();
  }

  private static String podPlugin(ClusterState state, ObjectKey owner, String podVolume) {
    return state.get(owner, Pod.class).flatMap(p -> PluginNames.of(state, p, podVolume))
        .orElse(PluginNames.NOT_AVAILABLE);
  }

  private static Labels csi(String driver, String operation, String method) {
    return new Labels(Optional.of(PluginNames.csi(driver)), Optional.of(operation), Optional.of(driver),
        Optional.of(method));
  }

  private static Labels call(String driver, String method) {
    return new Labels(Optional.empty(), Optional.empty(), Optional.of(driver), Optional.of(method));
  }

  private static Labels operation(String plugin, String operation) {
    return new Labels(Optional.of(plugin), Optional.of(operation), Optional.empty(), Optional.empty());
  }

  private static Labels none() {
    return new Labels(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
