package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiNodeRegistration;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * The kubelet's registration of a CSI driver's node plugin on a node, when the plugin's
 * registration socket appears: {@code GetPluginInfo} and {@code NodeGetInfo} on the node plugin
 * ({@link CsiNodeRegistration#register}). Its result, a {@link CsiNodeRegistration}, is what the
 * issuing controller writes to the Node and its CSINode.
 *
 * <p>Mirrors the kubelet's plugin manager ({@code RegisterPlugin} of the CSI plugin handler); as
 * any effect it is traced, and retried with backoff when it fails.
 *
 * @param owner the Node whose kubelet registers the plugin
 * @param nodeUid the uid of that Node: a Node deleted and created again registers again
 */
public record RegisterPlugin(EffectId id, ObjectKey owner, String controller, String driver, String node, String nodeUid)
    implements NodeCsiEffect<CsiNodeRegistration> {

  public RegisterPlugin {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(nodeUid, "nodeUid");
  }

  @Override
  public CsiNodeRegistration call(CsiDriver driver) {
    return CsiNodeRegistration.register(node, driver);
  }

  @Override
  public String describe() {
    return "RegisterPlugin (GetPluginInfo, NodeGetInfo) driver=" + driver + " node=" + node;
  }
}
