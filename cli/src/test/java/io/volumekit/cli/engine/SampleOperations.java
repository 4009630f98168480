package io.volumekit.cli.engine;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeResponse;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.Volume;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.effect.ControllerPublish;
import io.volumekit.core.effect.CreateVolume;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.SetUpHostPath;
import io.volumekit.core.effect.WriteLocalVolume;
import io.volumekit.core.node.LocalVolume;
import io.volumekit.core.key.ObjectKey;
import java.util.List;
import java.util.Optional;

/**
 * Succeeded operations of every shape the CLI saves: node stage and publish (mount and block
 * capabilities), controller publish and create volume with their responses, local volumes.
 * {@code state/operations-v1.json} holds exactly these, written in the first (Java class name)
 * format.
 */
final class SampleOperations {

  private SampleOperations() {}

  static Operation stage(String volume, Secrets secrets) {
    NodeStageVolumeRequest request = new NodeStageVolumeRequest(volume, ImmutableMap.of("path", "/v/" + volume),
        "/kubelet/plugins/" + volume + "/globalmount", Optional.of(VolumeCapability.mount("ext4", AccessMode.SINGLE_NODE_WRITER)),
        secrets, ImmutableMap.of("k", "v"));
    return Operation.started(new NodeStage(EffectId.of("mountdevice/node-1/" + volume),
        new ObjectKey("kubelet.volumekit.io/DeviceMount", "node-1", volume), "kubelet", "d", "node-1", volume, true,
        request), 1).succeeded(null);
  }

  static List<Operation> all() {
    NodePublish publish = new NodePublish(EffectId.of("setup/uid-1/data"), ObjectKey.namespaced("Pod", "default", "web"),
        "kubelet", "d", "node-1", "uid-1", "data", "pv-b",
        NodePublishVolumeRequest.of("vol-b", "/kubelet/plugins/b/globalmount", "/kubelet/pods/uid-1/volumes/data",
            VolumeCapability.block(AccessMode.SINGLE_NODE_MULTI_WRITER), true));
    ControllerPublish attach = new ControllerPublish(EffectId.of("attach/pv-a/node-1"),
        ObjectKey.cluster("VolumeAttachment", "csi-1"), "external-attacher", "d",
        ControllerPublishVolumeRequest.of("vol-a", "node-1", VolumeCapability.mount("", List.of("noatime"), AccessMode.MULTI_NODE_READER_ONLY)));
    CreateVolume create = new CreateVolume(EffectId.of("provision-default/c1"), ObjectKey.namespaced("PersistentVolumeClaim", "default", "c1"),
        "provisioning", "d", CreateVolumeRequest.of("pvc-1", 1L << 30, VolumeCapability.mount("xfs", AccessMode.SINGLE_NODE_WRITER))
            .withContentSource(new VolumeContentSource.SnapshotSource("snap-1")));
    WriteLocalVolume local = new WriteLocalVolume(EffectId.of("local/uid-1/scratch"), ObjectKey.namespaced("Pod", "default", "web"),
        "kubelet", "node-1", "uid-1", "scratch", LocalVolume.emptyDir("/kubelet/pods/uid-1/volumes/scratch", true, Optional.of(1024L), Optional.of(2000L)));
    SetUpHostPath hostPath = new SetUpHostPath(EffectId.of("hostpath/uid-1/logs"), ObjectKey.namespaced("Pod", "default", "web"),
        "kubelet", "node-1", "uid-1", "logs", "/var/log/web", "DirectoryOrCreate");
    return List.of(
        stage("a", Secrets.none()),
        Operation.started(publish, 2).succeeded(null),
        Operation.started(attach, 1).succeeded(new ControllerPublishVolumeResponse(ImmutableMap.of("device", "/dev/vdb"))),
        Operation.started(create, 1).succeeded(new CreateVolumeResponse(new Volume(1L << 30, "vol-1",
            ImmutableMap.of("zone", "a"), Optional.of(new VolumeContentSource.SnapshotSource("snap-1")), ImmutableList.of()))),
        Operation.started(local, 1).succeeded(null),
        Operation.started(hostPath, 1).succeeded(null));
  }
}
