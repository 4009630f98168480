package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;

/**
 * An effect that is one call of a CSI driver registered under {@link #driver()}.
 *
 * @param <R> the type of the call's response
 */
public sealed interface CsiEffect<R> extends Effect permits CreateVolume, DeleteVolume, ControllerPublish, ControllerUnpublish, CreateSnapshot, DeleteSnapshot, CreateGroupSnapshot, DeleteGroupSnapshot, GetGroupSnapshot,
    ModifyVolume,
    ListSnapshot, ControllerGetVolume, ControllerExpand, NodeCsiEffect {

  /** The CSI driver name (the StorageClass provisioner / PV {@code spec.csi.driver}). */
  String driver();

  /**
   * Performs the call on the driver. Only the runtime's effect dispatcher calls this.
   *
   * @throws CsiException the driver's error, classified by its code
   */
  R call(CsiDriver driver) throws CsiException;

  @Override
  default <V> V accept(Visitor<V> visitor) {
    return visitor.controllerCall(this);
  }
}
