package io.volumekit.cli.describe;

import static io.volumekit.cli.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.volumekit.cli.kind.KindRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * describe for Node, CSINode (kubectl's own describers) and CSIDriver, VolumeAttachment and the
 * snapshot CRDs (kubectl's generic describer), each against the exact text kubectl writes.
 */
class NodeAndCsiDescribeTest {

  private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");

  private static final JsonNode BUSY_NODE = obj("{'apiVersion':'v1','kind':'Node','metadata':{'name':'node-1','uid':'n1',"
      + "'creationTimestamp':'2026-01-09T00:00:00Z','labels':{'kubernetes.io/hostname':'node-1',"
      + "'node-role.kubernetes.io/control-plane':'','kubernetes.io/role':'worker'},"
      + "'annotations':{'csi.volume.kubernetes.io/nodeid':'{\\\"hostpath.csi.volumekit.io\\\":\\\"node-1\\\"}'}},"
      + "'spec':{'podCIDR':'10.244.0.0/24','podCIDRs':['10.244.0.0/24','fd00::/64'],'providerID':'kind://node-1',"
      + "'unschedulable':true,'taints':[{'key':'node.kubernetes.io/unschedulable','effect':'NoSchedule'},"
      + "{'key':'dedicated','value':'db','effect':'NoExecute'}]},"
      + "'status':{'conditions':[{'type':'Ready','status':'True','lastHeartbeatTime':'2026-01-09T23:59:00Z',"
      + "'lastTransitionTime':'2026-01-09T00:00:10Z','reason':'KubeletReady','message':'kubelet is posting ready status'}],"
      + "'addresses':[{'type':'InternalIP','address':'172.18.0.2'},{'type':'Hostname','address':'node-1'}],"
      + "'capacity':{'cpu':'4','memory':'8Gi','pods':'110','ephemeral-storage':'100Gi'},"
      + "'allocatable':{'cpu':'4','memory':'8Gi','pods':'110','ephemeral-storage':'100Gi','example.com/gpu':'2'},"
      + "'nodeInfo':{'machineID':'m1','systemUUID':'s1','bootID':'b1','kernelVersion':'6.1.0','osImage':'Debian 12',"
      + "'operatingSystem':'linux','architecture':'amd64','containerRuntimeVersion':'containerd://1.7.0',"
      + "'kubeletVersion':'v1.33.0','kubeProxyVersion':'v1.33.0'}}}");

  private static final List<JsonNode> PODS = List.of(
      obj("{'kind':'Pod','metadata':{'name':'mysql','namespace':'default','creationTimestamp':'2026-01-09T23:55:00Z'},"
          + "'spec':{'nodeName':'node-1','containers':[{'name':'mysql','resources':{'requests':{'cpu':'500m','memory':'1Gi'},"
          + "'limits':{'cpu':'1','memory':'2Gi','example.com/gpu':'1'}}},{'name':'sidecar','resources':{'requests':"
          + "{'cpu':'500m','ephemeral-storage':'10Gi'}}}]},'status':{'phase':'Running'}}"),
      obj("{'kind':'Pod','metadata':{'name':'app','namespace':'apps','creationTimestamp':'2026-01-09T23:00:00Z'},"
          + "'spec':{'nodeName':'node-1','containers':[{'name':'app'}]},'status':{'phase':'Pending'}}"),
      obj("{'kind':'Pod','metadata':{'name':'done','namespace':'default'},'spec':{'nodeName':'node-1',"
          + "'containers':[{'name':'c','resources':{'requests':{'cpu':'2'}}}]},'status':{'phase':'Succeeded'}}"),
      obj("{'kind':'Pod','metadata':{'name':'elsewhere','namespace':'default'},'spec':{'nodeName':'node-2',"
          + "'containers':[{'name':'c','resources':{'requests':{'cpu':'2'}}}]},'status':{'phase':'Running'}}"));

  private static final JsonNode KUBELET_EVENT = obj("{'kind':'Event','metadata':{'name':'node-1.1','namespace':'default'},"
      + "'involvedObject':{'kind':'Node','name':'node-1','uid':'node-1'},'type':'Normal','reason':'NodeReady',"
      + "'message':'Node node-1 status is now: NodeReady','firstTimestamp':'2026-01-09T00:00:10Z',"
      + "'lastTimestamp':'2026-01-09T00:00:10Z','count':1,'source':{'component':'kubelet'}}");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("busy node", "node", BUSY_NODE, Map.of("Pod", PODS, "Event", List.of(KUBELET_EVENT)), """
            Name:               node-1
            Roles:              control-plane,worker
            Labels:             kubernetes.io/hostname=node-1
                                kubernetes.io/role=worker
                                node-role.kubernetes.io/control-plane=
            Annotations:        csi.volume.kubernetes.io/nodeid: {"hostpath.csi.volumekit.io":"node-1"}
            CreationTimestamp:  Fri, 09 Jan 2026 00:00:00 +0000
            Taints:             dedicated=db:NoExecute
                                node.kubernetes.io/unschedulable:NoSchedule
            Unschedulable:      true
            Conditions:
              Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason         Message
              ----    ------  -----------------                 ------------------                ------         -------
              Ready   True    Fri, 09 Jan 2026 23:59:00 +0000   Fri, 09 Jan 2026 00:00:10 +0000   KubeletReady   kubelet is posting ready status
            Addresses:
              InternalIP:  172.18.0.2
              Hostname:    node-1
            Capacity:
              cpu:                4
              ephemeral-storage:  100Gi
              memory:             8Gi
              pods:               110
            Allocatable:
              cpu:                4
              ephemeral-storage:  100Gi
              example.com/gpu:    2
              memory:             8Gi
              pods:               110
            System Info:
              Machine ID:                 m1
              System UUID:                s1
              Boot ID:                    b1
              Kernel Version:             6.1.0
              OS Image:                   Debian 12
              Operating System:           linux
              Architecture:               amd64
              Container Runtime Version:  containerd://1.7.0
              Kubelet Version:            v1.33.0
              Kube-Proxy Version:         v1.33.0
            PodCIDR:                      10.244.0.0/24
            PodCIDRs:                     10.244.0.0/24,fd00::/64
            ProviderID:                   kind://node-1
            Non-terminated Pods:          (2 in total)
              Namespace                   Name     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
              ---------                   ----     ------------  ----------  ---------------  -------------  ---
              apps                        app      0 (0%)        0 (0%)      0 (0%)           0 (0%)         60m
              default                     mysql    1 (25%)       1 (25%)     1Gi (12%)        2Gi (25%)      5m
            Allocated resources:
              (Total limits may be over 100 percent, i.e., overcommitted.)
              Resource           Requests    Limits
              --------           --------    ------
              cpu                1 (25%)     1 (25%)
              memory             1Gi (12%)   2Gi (25%)
              ephemeral-storage  10Gi (10%)  0 (0%)
              example.com/gpu    0           1
            Events:
              Type    Reason     Age   From     Message
              ----    ------     ----  ----     -------
              Normal  NodeReady  23h   kubelet  Node node-1 status is now: NodeReady
            """),
        Arguments.of("fresh node", "nodes", obj("{'kind':'Node','metadata':{'name':'node-1','creationTimestamp':"
            + "'2026-01-09T00:00:00Z'}}"), Map.of(), """
            Name:               node-1
            Roles:              <none>
            Labels:             <none>
            Annotations:        <none>
            CreationTimestamp:  Fri, 09 Jan 2026 00:00:00 +0000
            Taints:             <none>
            Unschedulable:      false
            Addresses:
            System Info:
              Machine ID:                \s
              System UUID:               \s
              Boot ID:                   \s
              Kernel Version:            \s
              OS Image:                  \s
              Operating System:          \s
              Architecture:              \s
              Container Runtime Version: \s
              Kubelet Version:           \s
              Kube-Proxy Version:        \s
            Non-terminated Pods:          (0 in total)
              Namespace                   Name    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
              ---------                   ----    ------------  ----------  ---------------  -------------  ---
            Allocated resources:
              (Total limits may be over 100 percent, i.e., overcommitted.)
              Resource           Requests  Limits
              --------           --------  ------
              cpu                0 (0%)    0 (0%)
              memory             0 (0%)    0 (0%)
              ephemeral-storage  0 (0%)    0 (0%)
            Events:              <none>
            """),
        Arguments.of("csinode with two drivers", "csinode", obj("{'apiVersion':'storage.k8s.io/v1','kind':'CSINode',"
            + "'metadata':{'name':'node-1','creationTimestamp':'2026-01-09T00:00:00Z','ownerReferences':[{'kind':'Node',"
            + "'name':'node-1'}]},'spec':{'drivers':[{'name':'hostpath.csi.volumekit.io','nodeID':'node-1',"
            + "'topologyKeys':['topology.hostpath.csi.volumekit.io/node','topology.kubernetes.io/zone'],"
            + "'allocatable':{'count':8}},{'name':'nfs.csi.k8s.io','nodeID':'n-1'}]}}"), Map.of(), """
            Name:               node-1
            Labels:             <none>
            Annotations:        <none>
            CreationTimestamp:  Fri, 09 Jan 2026 00:00:00 +0000
            Spec:
              Drivers:
                hostpath.csi.volumekit.io:
                  Node ID:  node-1
                  Allocatables:
                    Count:        8
                  Topology Keys:  [topology.hostpath.csi.volumekit.io/node topology.kubernetes.io/zone]
                nfs.csi.k8s.io:
                  Node ID:  n-1
            Events:         <none>
            """),
        Arguments.of("csinode without drivers", "csinodes", obj("{'kind':'CSINode','metadata':{'name':'node-2',"
            + "'labels':{'a':'b'},'creationTimestamp':'2026-01-09T00:00:00Z'},'spec':{}}"), Map.of(), """
            Name:               node-2
            Labels:             a=b
            Annotations:        <none>
            CreationTimestamp:  Fri, 09 Jan 2026 00:00:00 +0000
            Spec:
            Events:  <none>
            """),
        Arguments.of("csidriver (generic describer)", "csidriver", obj("{'apiVersion':'storage.k8s.io/v1','kind':'CSIDriver',"
            + "'metadata':{'name':'hostpath.csi.volumekit.io','uid':'d1','resourceVersion':'5','generation':1,"
            + "'creationTimestamp':'2026-01-09T00:00:00Z','managedFields':[{'manager':'x'}]},'spec':{'attachRequired':true,"
            + "'podInfoOnMount':false,'volumeLifecycleModes':['Persistent','Ephemeral'],'fsGroupPolicy':'File',"
            + "'seLinuxMount':false,'tokenRequests':[{'audience':'vault','expirationSeconds':600}]}}"), Map.of(), """
            Name:         hostpath.csi.volumekit.io
            Namespace:   \s
            Labels:       <none>
            Annotations:  <none>
            API Version:  storage.k8s.io/v1
            Kind:         CSIDriver
            Metadata:
              Creation Timestamp:  2026-01-09T00:00:00Z
              Generation:          1
              Resource Version:    5
              UID:                 d1
            Spec:
              Attach Required:    true
              Fs Group Policy:    File
              Pod Info On Mount:  false
              Se Linux Mount:     false
              Token Requests:
                Audience:            vault
                Expiration Seconds:  600
              Volume Lifecycle Modes:
                Persistent
                Ephemeral
            Events:  <none>
            """),
        Arguments.of("volumeattachment (generic describer)", "volumeattachments", obj("{'apiVersion':'storage.k8s.io/v1',"
            + "'kind':'VolumeAttachment','metadata':{'name':'csi-0123','uid':'va1','creationTimestamp':'2026-01-09T00:00:00Z',"
            + "'finalizers':['external-attacher/hostpath-csi-volumekit-io'],'annotations':{'csi.alpha.kubernetes.io/node-id':"
            + "'node-1'}},'spec':{'attacher':'hostpath.csi.volumekit.io','nodeName':'node-1','source':{'persistentVolumeName':"
            + "'pvc-1'}},'status':{'attached':false,'attachError':{'time':'2026-01-09T23:59:00Z','message':'rpc error: code = "
            + "NotFound desc = volume not found','errorCode':5}}}"),
            Map.of("Event", List.of(obj("{'kind':'Event','metadata':{'name':'e'},'involvedObject':{'kind':'VolumeAttachment',"
                + "'name':'csi-0123','uid':'va1'},'type':'Warning','reason':'FailedAttach','message':'volume not found',"
                + "'firstTimestamp':'2026-01-09T23:58:00Z','lastTimestamp':'2026-01-09T23:59:00Z','count':3,"
                + "'source':{'component':'csi-attacher'}}"))), """
            Name:         csi-0123
            Namespace:   \s
            Labels:       <none>
            Annotations:  csi.alpha.kubernetes.io/node-id: node-1
            API Version:  storage.k8s.io/v1
            Kind:         VolumeAttachment
            Metadata:
              Creation Timestamp:  2026-01-09T00:00:00Z
              Finalizers:
                external-attacher/hostpath-csi-volumekit-io
              UID:  va1
            Spec:
              Attacher:   hostpath.csi.volumekit.io
              Node Name:  node-1
              Source:
                Persistent Volume Name:  pvc-1
            Status:
              Attach Error:
                Error Code:  5
                Message:     rpc error: code = NotFound desc = volume not found
                Time:        2026-01-09T23:59:00Z
              Attached:      false
            Events:
              Type     Reason        Age               From          Message
              ----     ------        ----              ----          -------
              Warning  FailedAttach  60s (x3 over 2m)  csi-attacher  volume not found
            """),
        Arguments.of("volumesnapshot (generic describer)", "vs", obj("{'apiVersion':'snapshot.storage.k8s.io/v1',"
            + "'kind':'VolumeSnapshot','metadata':{'name':'snap','namespace':'default','uid':'s1',"
            + "'creationTimestamp':'2026-01-09T23:59:00Z',"
            + "'finalizers':['snapshot.storage.kubernetes.io/volumesnapshot-as-source-protection']},"
            + "'spec':{'source':{'persistentVolumeClaimName':'data'},'volumeSnapshotClassName':'c'},"
            + "'status':{'boundVolumeSnapshotContentName':'snapcontent-s1','creationTime':'2026-01-09T23:59:10Z',"
            + "'readyToUse':true,'restoreSize':'1Gi'}}"), Map.of(), """
            Name:         snap
            Namespace:    default
            Labels:       <none>
            Annotations:  <none>
            API Version:  snapshot.storage.k8s.io/v1
            Kind:         VolumeSnapshot
            Metadata:
              Creation Timestamp:  2026-01-09T23:59:00Z
              Finalizers:
                snapshot.storage.kubernetes.io/volumesnapshot-as-source-protection
              UID:  s1
            Spec:
              Source:
                Persistent Volume Claim Name:  data
              Volume Snapshot Class Name:      c
            Status:
              Bound Volume Snapshot Content Name:  snapcontent-s1
              Creation Time:                       2026-01-09T23:59:10Z
              Ready To Use:                        true
              Restore Size:                        1Gi
            Events:                                <none>
            """),
        Arguments.of("volumesnapshotcontent (generic describer)", "vsc", obj("{'apiVersion':'snapshot.storage.k8s.io/v1',"
            + "'kind':'VolumeSnapshotContent','metadata':{'name':'snapcontent-s1','uid':'c1',"
            + "'creationTimestamp':'2026-01-09T23:59:00Z'},'spec':{'deletionPolicy':'Delete','driver':'hostpath.csi.volumekit.io',"
            + "'source':{'volumeHandle':'v-1'},'volumeSnapshotClassName':'c','volumeSnapshotRef':{'name':'snap',"
            + "'namespace':'default','uid':'s1'}},'status':{'creationTime':1768003150000000000,'readyToUse':true,"
            + "'restoreSize':1073741824,'snapshotHandle':'snap-1'}}"), Map.of(), """
            Name:         snapcontent-s1
            Namespace:   \s
            Labels:       <none>
            Annotations:  <none>
            API Version:  snapshot.storage.k8s.io/v1
            Kind:         VolumeSnapshotContent
            Metadata:
              Creation Timestamp:  2026-01-09T23:59:00Z
              UID:                 c1
            Spec:
              Deletion Policy:  Delete
              Driver:           hostpath.csi.volumekit.io
              Source:
                Volume Handle:             v-1
              Volume Snapshot Class Name:  c
              Volume Snapshot Ref:
                Name:       snap
                Namespace:  default
                UID:        s1
            Status:
              Creation Time:    1768003150000000000
              Ready To Use:     true
              Restore Size:     1073741824
              Snapshot Handle:  snap-1
            Events:             <none>
            """),
        Arguments.of("volumesnapshotclass (generic describer)", "vsclass", obj("{'apiVersion':'snapshot.storage.k8s.io/v1',"
            + "'kind':'VolumeSnapshotClass','metadata':{'name':'c','uid':'k1','creationTimestamp':'2026-01-09T00:00:00Z',"
            + "'annotations':{'snapshot.storage.kubernetes.io/is-default-class':'true'}},'driver':'hostpath.csi.volumekit.io',"
            + "'deletionPolicy':'Delete','parameters':{'tier':'fast'}}"), Map.of(), """
            Name:             c
            Namespace:       \s
            Labels:           <none>
            Annotations:      snapshot.storage.kubernetes.io/is-default-class: true
            API Version:      snapshot.storage.k8s.io/v1
            Deletion Policy:  Delete
            Driver:           hostpath.csi.volumekit.io
            Kind:             VolumeSnapshotClass
            Metadata:
              Creation Timestamp:  2026-01-09T00:00:00Z
              UID:                 k1
            Parameters:
              Tier:  fast
            Events:  <none>
            """));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @org.junit.jupiter.params.provider.CsvSource({
      "apiVersion, API Version", "persistentVolumeName, Persistent Volume Name", "nodeID, Node ID",
      "uid, UID", "seLinuxMount, Se Linux Mount", "fsGroupPolicy, Fs Group Policy", "URLPath, URL Path",
      "hostpath.csi.volumekit.io/path, hostpath.csi.volumekit.io/path", "v1beta1, v1beta1", "kind, Kind"})
  void smartLabelsAreKubectls(String field, String label) {
    assertThat(Describer.smartLabel(field)).isEqualTo(label);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void describeMatchesKubectl(String title, String resource, JsonNode object, Map<String, List<JsonNode>> related,
      String expected) {
    String text = new Describer(k -> related.getOrDefault(k, List.of()))
        .describe(KindRegistry.STANDARD.resolve(resource), object, NOW);
    assertThat(text).isEqualTo(expected);
  }
}
