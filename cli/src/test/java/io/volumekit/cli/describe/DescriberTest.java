package io.volumekit.cli.describe;

import static io.volumekit.cli.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.volumekit.cli.kind.KindRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DescriberTest {

  private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");

  private static String describe(String kind, JsonNode o, Map<String, List<JsonNode>> related) {
    return new Describer(k -> related.getOrDefault(k, List.of()))
        .describe(KindRegistry.STANDARD.resolve(kind), o, NOW);
  }

  @Test
  void boundClaimMatchesKubectlLayout() {
    JsonNode pvc = obj("{'kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'default',"
        + "'annotations':{'pv.kubernetes.io/bind-completed':'yes','pv.kubernetes.io/bound-by-controller':'yes',"
        + "'kubectl.kubernetes.io/last-applied-configuration':'{}'},'finalizers':['kubernetes.io/pvc-protection']},"
        + "'spec':{'volumeName':'pvc-3f2a','storageClassName':'standard','volumeMode':'Filesystem'},"
        + "'status':{'phase':'Bound','capacity':{'storage':'2Gi'},'accessModes':['ReadWriteOnce']}}");
    assertThat(describe("pvc", pvc, Map.of())).isEqualTo("""
        Name:          data
        Namespace:     default
        StorageClass:  standard
        Status:        Bound
        Volume:        pvc-3f2a
        Labels:        <none>
        Annotations:   pv.kubernetes.io/bind-completed: yes
                       pv.kubernetes.io/bound-by-controller: yes
        Finalizers:    [kubernetes.io/pvc-protection]
        Capacity:      2Gi
        Access Modes:  RWO
        VolumeMode:    Filesystem
        Used By:       <none>
        Events:        <none>
        """);
  }

  @Test
  void persistentVolumeWithCsiSourceAndEvents() {
    JsonNode pv = obj("{'kind':'PersistentVolume','metadata':{'name':'pvc-3f2a','uid':'u1',"
        + "'annotations':{'pv.kubernetes.io/provisioned-by':'rancher.io/local-path'},'finalizers':['kubernetes.io/pv-protection']},"
        + "'spec':{'storageClassName':'standard','claimRef':{'namespace':'default','name':'data'},"
        + "'persistentVolumeReclaimPolicy':'Delete','accessModes':['ReadWriteOnce'],'volumeMode':'Filesystem',"
        + "'capacity':{'storage':'2Gi'},'csi':{'driver':'hostpath.csi.k8s.io','fsType':'ext4','volumeHandle':'abc-123',"
        + "'volumeAttributes':{'storage.kubernetes.io/csiProvisionerIdentity':'1700000000000-8081-hostpath.csi.k8s.io'}}},"
        + "'status':{'phase':'Bound'}}");
    JsonNode event = obj("{'kind':'Event','metadata':{'name':'e1','namespace':'default'},'involvedObject':{'kind':"
        + "'PersistentVolume','name':'pvc-3f2a','uid':'u1'},'type':'Normal','reason':'ProvisioningSucceeded',"
        + "'message':'Successfully provisioned volume','firstTimestamp':'2026-01-09T23:58:00Z',"
        + "'lastTimestamp':'2026-01-09T23:58:00Z','count':1,'source':{'component':'persistentvolume-controller'}}");
    JsonNode otherEvent = obj("{'kind':'Event','metadata':{'name':'e2'},'involvedObject':{'kind':'PersistentVolume',"
        + "'name':'other'},'type':'Normal','reason':'X'}");
    assertThat(describe("pv", pv, Map.of("Event", List.of(event, otherEvent)))).isEqualTo("""
        Name:            pvc-3f2a
        Labels:          <none>
        Annotations:     pv.kubernetes.io/provisioned-by: rancher.io/local-path
        Finalizers:      [kubernetes.io/pv-protection]
        StorageClass:    standard
        Status:          Bound
        Claim:           default/data
        Reclaim Policy:  Delete
        Access Modes:    RWO
        VolumeMode:      Filesystem
        Capacity:        2Gi
        Node Affinity:   <none>
        Message:        \s
        Source:
            Type:              CSI (a Container Storage Interface (CSI) volume source)
            Driver:            hostpath.csi.k8s.io
            FSType:            ext4
            VolumeHandle:      abc-123
            ReadOnly:          false
            VolumeAttributes:  storage.kubernetes.io/csiProvisionerIdentity=1700000000000-8081-hostpath.csi.k8s.io
        Events:
          Type    Reason                 Age   From                         Message
          ----    ------                 ----  ----                         -------
          Normal  ProvisioningSucceeded  2m    persistentvolume-controller  Successfully provisioned volume
        """);
  }

  @Test
  void podListsItsVolumesAndClaimUsers() {
    JsonNode pod = obj("{'kind':'Pod','metadata':{'name':'mysql','namespace':'default'},'spec':{'nodeName':'node-1',"
        + "'containers':[{'name':'mysql','image':'mysql:5.6','volumeMounts':[{'name':'data','mountPath':'/var/lib/mysql'}]}],"
        + "'volumes':[{'name':'data','persistentVolumeClaim':{'claimName':'mysql-pvc'}},{'name':'cache','emptyDir':{}}]},"
        + "'status':{'phase':'Running'}}");
    String text = describe("po", pod, Map.of());
    assertThat(text).contains("""
        Volumes:
          data:
            Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
            ClaimName:  mysql-pvc
            ReadOnly:   false
          cache:
            Type:        EmptyDir (a temporary directory that shares a pod's lifetime)
            Medium:     \s
            SizeLimit:   <unset>
        QoS Class:       BestEffort
        Node-Selectors:  <none>
        Tolerations:     <none>
        Events:          <none>
        """);
    assertThat(text).startsWith("Name:         mysql\nNamespace:    default\nNode:         node-1/\n");
    JsonNode pvc = obj("{'kind':'PersistentVolumeClaim','metadata':{'name':'mysql-pvc','namespace':'default'},'spec':{}}");
    assertThat(describe("pvc", pvc, Map.of("Pod", List.of(pod)))).contains("Used By:       mysql\n");
  }

  @Test
  void storageClassAndGenericKinds() {
    JsonNode sc = obj("{'kind':'StorageClass','metadata':{'name':'standard','annotations':"
        + "{'storageclass.kubernetes.io/is-default-class':'true'}},'provisioner':'hostpath.csi.volumekit.io',"
        + "'reclaimPolicy':'Delete','volumeBindingMode':'WaitForFirstConsumer','allowVolumeExpansion':true}");
    assertThat(describe("sc", sc, Map.of())).isEqualTo("""
        Name:                  standard
        IsDefaultClass:        Yes
        Annotations:           storageclass.kubernetes.io/is-default-class=true
        Provisioner:           hostpath.csi.volumekit.io
        Parameters:            <none>
        AllowVolumeExpansion:  True
        MountOptions:          <none>
        ReclaimPolicy:         Delete
        VolumeBindingMode:     WaitForFirstConsumer
        Events:                <none>
        """);
    JsonNode csiNode = obj("{'apiVersion':'storage.k8s.io/v1','kind':'CSINode','metadata':{'name':'node-1'},"
        + "'spec':{'drivers':[{'name':'hostpath.csi.volumekit.io','nodeID':'node-1'}]}}");
    assertThat(describe("csinodes", csiNode, Map.of())).contains("Spec:\n  Drivers:\n    hostpath.csi.volumekit.io:\n      Node ID:  node-1\n");
  }

  @Test
  void statefulSetMatchesKubectlLayout() {
    JsonNode sts = obj("{'kind':'StatefulSet','apiVersion':'apps/v1','metadata':{'name':'db','namespace':'default','uid':'s1',"
        + "'creationTimestamp':'2026-01-09T00:00:00Z'},'spec':{'replicas':3,'selector':{'matchLabels':{'app':'db'}},"
        + "'updateStrategy':{'type':'RollingUpdate','rollingUpdate':{'partition':0}},"
        + "'template':{'metadata':{'labels':{'app':'db'}},'spec':{'containers':[{'name':'postgres','image':'postgres:16',"
        + "'env':[{'name':'PGDATA','value':'/var/lib/postgresql/data/pgdata'}],"
        + "'volumeMounts':[{'name':'data','mountPath':'/var/lib/postgresql/data'}]}]}},"
        + "'volumeClaimTemplates':[{'apiVersion':'v1','kind':'PersistentVolumeClaim','metadata':{'name':'data'},"
        + "'spec':{'accessModes':['ReadWriteOnce'],'resources':{'requests':{'storage':'1Gi'}}}}]},"
        + "'status':{'replicas':3,'readyReplicas':2}}");
    List<JsonNode> pods = List.of(pod("db-0", "s1", "Running"), pod("db-1", "s1", "Running"), pod("db-2", "s1", "Pending"),
        pod("other-0", "s2", "Running"));
    String text = describe("sts", sts, Map.of("Pod", pods));
    assertThat(text).isEqualTo("""
        Name:               db
        Namespace:          default
        CreationTimestamp:  Fri, 09 Jan 2026 00:00:00 +0000
        Selector:           app=db
        Labels:             <none>
        Annotations:        <none>
        Replicas:           3 desired | 3 total
        Update Strategy:    RollingUpdate
          Partition:        0
        Pods Status:        2 Running / 1 Waiting / 0 Succeeded / 0 Failed
        Pod Template:
          Labels:  app=db
          Containers:
           postgres:
            Image:      postgres:16
            Port:       <none>
            Host Port:  <none>
            Environment:
              PGDATA:  /var/lib/postgresql/data/pgdata
            Mounts:
              /var/lib/postgresql/data from data (rw)
          Volumes:         <none>
          Node-Selectors:  <none>
          Tolerations:     <none>
        Volume Claims:
          Name:          data
          StorageClass: \s
          Labels:        <none>
          Annotations:   <none>
          Capacity:      1Gi
          Access Modes:  [ReadWriteOnce]
        Events:          <none>
        """);
  }

  private static JsonNode pod(String name, String owner, String phase) {
    return obj("{'kind':'Pod','metadata':{'name':'" + name + "','namespace':'default','ownerReferences':[{'apiVersion':"
        + "'apps/v1','kind':'StatefulSet','name':'x','uid':'" + owner + "','controller':true}]},'status':{'phase':'"
        + phase + "'}}");
  }
}
