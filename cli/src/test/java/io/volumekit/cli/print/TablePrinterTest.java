package io.volumekit.cli.print;

import static io.volumekit.cli.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.volumekit.cli.kind.KindRegistry;
import io.volumekit.model.meta.KindInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablePrinterTest {

  private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");


  private static KindInfo kind(String name) {
    return KindRegistry.STANDARD.resolve(name);
  }

  private static String table(String kind, boolean wide, boolean all, JsonNode... objects) {
    return new TablePrinter(wide, all, false).print(kind(kind), List.of(objects), NOW);
  }

  @Test
  void pvcTableMatchesKubectl() {
    JsonNode bound = obj("{'kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'default',"
        + "'creationTimestamp':'2026-01-09T23:54:57Z'},'spec':{'volumeName':'pvc-3f2a','storageClassName':'standard',"
        + "'resources':{'requests':{'storage':'1Gi'}}},'status':{'phase':'Bound','capacity':{'storage':'2Gi'},"
        + "'accessModes':['ReadWriteOnce']}}");
    JsonNode pending = obj("{'kind':'PersistentVolumeClaim','metadata':{'name':'scratch','namespace':'default',"
        + "'creationTimestamp':'2026-01-09T23:59:15Z'},'spec':{'storageClassName':'fast'},'status':{'phase':'Pending'}}");
    assertThat(table("pvc", false, false, bound, pending)).isEqualTo(
        "NAME      STATUS    VOLUME     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n"
            + "data      Bound     pvc-3f2a   2Gi        RWO            standard       <unset>                 5m3s\n"
            + "scratch   Pending                                        fast           <unset>                 45s\n");
  }

  @Test
  void storageClassShowsDefaultMarkerAndPrinterDefaults() {
    JsonNode sc = obj("{'kind':'StorageClass','metadata':{'name':'standard','creationTimestamp':'2025-12-31T00:00:00Z',"
        + "'annotations':{'storageclass.kubernetes.io/is-default-class':'true'}},'provisioner':'rancher.io/local-path',"
        + "'volumeBindingMode':'WaitForFirstConsumer'}");
    assertThat(table("sc", false, false, sc)).isEqualTo(
        "NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n"
            + "standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  10d\n");
  }

  @Test
  void pvShowsClaimTerminatingAndWideVolumeMode() {
    JsonNode pv = obj("{'kind':'PersistentVolume','metadata':{'name':'pv1','deletionTimestamp':'2026-01-09T00:00:00Z'},"
        + "'spec':{'capacity':{'storage':'5Gi'},'accessModes':['ReadWriteMany','ReadWriteOnce','ReadWriteOnce'],"
        + "'persistentVolumeReclaimPolicy':'Retain','claimRef':{'namespace':'default','name':'data'},"
        + "'storageClassName':'x'},'status':{'phase':'Bound'}}");
    assertThat(table("pv", true, false, pv)).isEqualTo(
        "NAME   CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS        CLAIM          STORAGECLASS   "
            + "VOLUMEATTRIBUTESCLASS   REASON   AGE         VOLUMEMODE\n"
            + "pv1    5Gi        RWO,RWX        Retain           Terminating   default/data   x              "
            + "<unset>                          <unknown>   <unset>\n");
  }

  @Test
  void allNamespacesAddsNamespaceColumnToNamespacedKindsOnly() {
    JsonNode pod = obj("{'kind':'Pod','metadata':{'name':'mysql','namespace':'db','creationTimestamp':'2026-01-09T23:59:00Z'},"
        + "'spec':{'nodeName':'node-1','containers':[{'name':'c'}]},'status':{'phase':'Running',"
        + "'containerStatuses':[{'ready':true,'restartCount':0,'state':{'running':{}}}]}}");
    assertThat(table("po", false, true, pod)).isEqualTo(
        "NAMESPACE   NAME    READY   STATUS    RESTARTS   AGE\n"
            + "db          mysql   1/1     Running   0          60s\n");
    JsonNode node = obj("{'kind':'Node','metadata':{'name':'node-1','labels':{'node-role.kubernetes.io/control-plane':''}},"
        + "'status':{'conditions':[{'type':'Ready','status':'True'}],'nodeInfo':{'kubeletVersion':'v1.34.0'}}}");
    assertThat(table("no", false, true, node)).isEqualTo(
        "NAME     STATUS   ROLES           AGE         VERSION\n"
            + "node-1   Ready    control-plane   <unknown>   v1.34.0\n");
  }

  @Test
  void podWideColumnsAndWaitingReason() {
    JsonNode pod = obj("{'kind':'Pod','metadata':{'name':'p','namespace':'default'},'spec':{'containers':[{'name':'a'},{'name':'b'}]},"
        + "'status':{'phase':'Pending','containerStatuses':[{'name':'a','ready':false,'restartCount':1,"
        + "'state':{'waiting':{'reason':'ContainerCreating'}}}]}}");
    assertThat(table("pods", true, false, pod)).isEqualTo(
        "NAME   READY   STATUS              RESTARTS   AGE         IP       NODE     NOMINATED NODE   READINESS GATES\n"
            + "p      0/2     ContainerCreating   1          <unknown>   <none>   <none>   <none>           <none>\n");
  }

  @Test
  void eventsInterleaveWideColumns() {
    JsonNode ev = obj("{'kind':'Event','metadata':{'name':'data.1','namespace':'default'},'involvedObject':{'kind':"
        + "'PersistentVolumeClaim','name':'data'},'reason':'WaitForFirstConsumer','type':'Normal','message':' waiting \\n',"
        + "'firstTimestamp':'2026-01-09T23:58:00Z','lastTimestamp':'2026-01-09T23:59:30Z','count':3,"
        + "'source':{'component':'persistentvolume-controller'}}");
    assertThat(table("ev", false, false, ev)).isEqualTo(
        "LAST SEEN   TYPE     REASON                 OBJECT                       MESSAGE\n"
            + "30s         Normal   WaitForFirstConsumer   persistentvolumeclaim/data   waiting\n");
    assertThat(table("ev", true, false, ev)).startsWith(
        "LAST SEEN   TYPE     REASON                 OBJECT                       SUBOBJECT   SOURCE                        "
            + "MESSAGE   FIRST SEEN   COUNT   NAME\n");
    assertThat(table("ev", true, false, ev)).endsWith("waiting   2m           3       data.1\n");
  }

  @Test
  void csiKindsAndAttachments() {
    JsonNode driver = obj("{'kind':'CSIDriver','metadata':{'name':'hostpath.csi.volumekit.io'},'spec':{'attachRequired':false,"
        + "'volumeLifecycleModes':['Persistent','Ephemeral']}}");
    assertThat(table("csidrivers", false, false, driver)).isEqualTo(
        "NAME                        ATTACHREQUIRED   PODINFOONMOUNT   STORAGECAPACITY   TOKENREQUESTS   REQUIRESREPUBLISH"
            + "   MODES                  AGE\n"
            + "hostpath.csi.volumekit.io   false            false            false             <unset>         false"
            + "               Persistent,Ephemeral   <unknown>\n");
    JsonNode csiNode = obj("{'kind':'CSINode','metadata':{'name':'node-1'},'spec':{'drivers':[{'name':'a'},{'name':'b'}]}}");
    assertThat(table("csinodes", false, false, csiNode)).contains("node-1   2         <unknown>");
    JsonNode va = obj("{'kind':'VolumeAttachment','metadata':{'name':'csi-123'},'spec':{'attacher':'d','nodeName':'node-1',"
        + "'source':{'persistentVolumeName':'pv1'}},'status':{'attached':true}}");
    assertThat(table("volumeattachments", false, false, va)).isEqualTo(
        "NAME      ATTACHER   PV    NODE     ATTACHED   AGE\n"
            + "csi-123   d          pv1   node-1   true       <unknown>\n");
  }

  @Test
  void kindPrefixAndCellSanitising() {
    JsonNode sc = obj("{'kind':'StorageClass','metadata':{'name':'fast'},'provisioner':'a\\nb'}");
    String out = new TablePrinter(false, false, true).print(kind("sc"), List.of(sc), NOW);
    assertThat(out).contains("storageclass.storage.k8s.io/fast").contains("a...");
  }

  @Test
  void noObjectsPrintsNothing() {
    assertThat(table("pvc", false, false)).isEmpty();
  }

  @Test
  void snapshotColumnsFollowTheCrd() {
    JsonNode vs = obj("{'kind':'VolumeSnapshot','metadata':{'name':'snap','namespace':'default','creationTimestamp':"
        + "'2026-01-09T23:59:00Z'},'spec':{'source':{'persistentVolumeClaimName':'data'},'volumeSnapshotClassName':'c'},"
        + "'status':{'readyToUse':true,'restoreSize':'1Gi','boundVolumeSnapshotContentName':'snapcontent-1'}}");
    assertThat(table("vs", false, false, vs)).isEqualTo(
        "NAME   READYTOUSE   SOURCEPVC   SOURCESNAPSHOTCONTENT   RESTORESIZE   SNAPSHOTCLASS   SNAPSHOTCONTENT   "
            + "CREATIONTIME   AGE\n"
            + "snap   true         data                                1Gi           c               snapcontent-1     "
            + "               60s\n");
  }

  @Test
  void snapshotMissingFieldsPrintEmptyCellsAndDatesPrintAsAges() {
    JsonNode ready = obj("{'kind':'VolumeSnapshot','metadata':{'name':'snap','namespace':'default','creationTimestamp':"
        + "'2026-01-09T23:59:00Z'},'spec':{'source':{'persistentVolumeClaimName':'data'},'volumeSnapshotClassName':'c'},"
        + "'status':{'readyToUse':true,'restoreSize':'1Gi','boundVolumeSnapshotContentName':'snapcontent-1',"
        + "'creationTime':'2026-01-09T23:59:10Z'}}");
    JsonNode preMade = obj("{'kind':'VolumeSnapshot','metadata':{'name':'pre-made','namespace':'default','creationTimestamp':"
        + "'2026-01-09T23:58:00Z'},'spec':{'source':{'volumeSnapshotContentName':'snapcontent-x'}},"
        + "'status':{'readyToUse':false,'boundVolumeSnapshotContentName':'snapcontent-x'}}");
    JsonNode badTime = obj("{'kind':'VolumeSnapshot','metadata':{'name':'bad-time','namespace':'default','creationTimestamp':"
        + "'2026-01-09T23:55:00Z'},'status':{'creationTime':'yesterday'}}");
    String expected = "NAME       READYTOUSE   SOURCEPVC   SOURCESNAPSHOTCONTENT   RESTORESIZE   SNAPSHOTCLASS   "
        + "SNAPSHOTCONTENT   CREATIONTIME   AGE\n"
        + "snap       true         data                                1Gi           c               snapcontent-1     "
        + "50s            60s\n"
        + "pre-made   false                    snapcontent-x                                         snapcontent-x     "
        + "               2m\n"
        + "bad-time                                                                                                    "
        + "<invalid>      5m\n";
    assertThat(table("vs", false, false, ready, preMade, badTime)).isEqualTo(expected);
    assertThat(table("vs", true, false, ready, preMade, badTime)).as("no priority-1 columns: -o wide adds nothing")
        .isEqualTo(expected);
  }

  @Test
  void snapshotContentRestoreSizeIsTheIntegerInBytes() {
    JsonNode bound = obj("{'kind':'VolumeSnapshotContent','metadata':{'name':'snapcontent-1','creationTimestamp':"
        + "'2026-01-09T23:59:00Z'},'spec':{'deletionPolicy':'Delete','driver':'hostpath.csi.volumekit.io',"
        + "'volumeSnapshotClassName':'c','volumeSnapshotRef':{'name':'snap','namespace':'default'},"
        + "'source':{'volumeHandle':'v-1'}},'status':{'readyToUse':true,'restoreSize':1073741824,'snapshotHandle':'s-1'}}");
    JsonNode preMade = obj("{'kind':'VolumeSnapshotContent','metadata':{'name':'snapcontent-x','creationTimestamp':"
        + "'2026-01-09T23:58:00Z'},'spec':{'deletionPolicy':'Retain','driver':'hostpath.csi.volumekit.io',"
        + "'volumeSnapshotRef':{'name':'pre-made','namespace':'default'},'source':{'snapshotHandle':'s-x'}}}");
    String expected = "NAME            READYTOUSE   RESTORESIZE   DELETIONPOLICY   DRIVER                      "
        + "VOLUMESNAPSHOTCLASS   VOLUMESNAPSHOT   VOLUMESNAPSHOTNAMESPACE   AGE\n"
        + "snapcontent-1   true         1073741824    Delete           hostpath.csi.volumekit.io   c                     "
        + "snap             default                   60s\n"
        + "snapcontent-x                              Retain           hostpath.csi.volumekit.io                         "
        + "pre-made         default                   2m\n";
    assertThat(table("vsc", false, false, bound, preMade)).isEqualTo(expected);
    assertThat(table("volumesnapshotcontents", true, false, bound, preMade)).isEqualTo(expected);
  }

  @Test
  void snapshotClassHasNoDefaultMarker() {
    JsonNode cls = obj("{'kind':'VolumeSnapshotClass','metadata':{'name':'c','creationTimestamp':'2026-01-09T21:00:00Z',"
        + "'annotations':{'snapshot.storage.kubernetes.io/is-default-class':'true'}},'driver':'hostpath.csi.volumekit.io',"
        + "'deletionPolicy':'Delete'}");
    String expected = "NAME   DRIVER                      DELETIONPOLICY   AGE\n"
        + "c      hostpath.csi.volumekit.io   Delete           3h\n";
    assertThat(table("vsclass", false, false, cls)).isEqualTo(expected);
    assertThat(table("volumesnapshotclasses", true, false, cls)).isEqualTo(expected);
  }

  @Test
  void volumeGroupSnapshotShowsClassContentAndTimes() {
    JsonNode ready = obj("{'kind':'VolumeGroupSnapshot','metadata':{'name':'db','namespace':'default','creationTimestamp':"
        + "'2026-01-09T23:59:00Z'},'spec':{'source':{'selector':{'matchLabels':{'app':'db'}}},"
        + "'volumeGroupSnapshotClassName':'g'},'status':{'readyToUse':true,'boundVolumeGroupSnapshotContentName':"
        + "'groupsnapcontent-1','creationTime':'2026-01-09T23:59:10Z'}}");
    String expected = "NAME   READYTOUSE   VOLUMEGROUPSNAPSHOTCLASS   VOLUMEGROUPSNAPSHOTCONTENT   CREATIONTIME   AGE\n"
        + "db     true         g                          groupsnapcontent-1           50s            60s\n";
    assertThat(table("vgs", false, false, ready)).isEqualTo(expected);
    JsonNode content = obj("{'kind':'VolumeGroupSnapshotContent','metadata':{'name':'groupsnapcontent-1','creationTimestamp':"
        + "'2026-01-09T23:59:00Z'},'spec':{'deletionPolicy':'Delete','driver':'d','volumeGroupSnapshotClassName':'g',"
        + "'volumeGroupSnapshotRef':{'name':'db','namespace':'default'},'source':{'volumeHandles':['v-1']}},"
        + "'status':{'readyToUse':true}}");
    assertThat(table("vgsc", false, false, content)).isEqualTo(
        "NAME                 READYTOUSE   DELETIONPOLICY   DRIVER   VOLUMEGROUPSNAPSHOTCLASS   VOLUMEGROUPSNAPSHOTNAMESPACE"
            + "   VOLUMEGROUPSNAPSHOT   AGE\n"
            + "groupsnapcontent-1   true         Delete           d        g                          default"
            + "                        db                    60s\n");
  }

  @Test
  void volumePopulatorShowsItsSourceKindAsAGroupKind() {
    JsonNode hello = obj("{'kind':'VolumePopulator','metadata':{'name':'hello','creationTimestamp':'2026-01-09T21:00:00Z'},"
        + "'sourceKind':{'group':'hello.example.com','kind':'Hello'}}");
    JsonNode core = obj("{'kind':'VolumePopulator','metadata':{'name':'maps','creationTimestamp':'2026-01-09T21:00:00Z'},"
        + "'sourceKind':{'group':'','kind':'ConfigMap'}}");
    String expected = "NAME    SOURCEKIND                AGE\n"
        + "hello   Hello.hello.example.com   3h\n"
        + "maps    ConfigMap                 3h\n";
    assertThat(table("volumepopulators", false, false, hello, core)).isEqualTo(expected);
  }

  @Test
  void aDateColumnThatIsNotAStringIsAnEmptyCell() {
    JsonNode vs = obj("{'kind':'VolumeSnapshot','metadata':{'name':'s','namespace':'default','creationTimestamp':"
        + "'2026-01-09T23:59:00Z'},'status':{'creationTime':1768003150,'readyToUse':'true'}}");
    assertThat(table("vs", false, false, vs).lines().skip(1).findFirst().orElseThrow())
        .as("a non-boolean READYTOUSE and a numeric CREATIONTIME print nothing")
        .isEqualTo("s      " + " ".repeat(13 + 12 + 24 + 14 + 16 + 18 + 15) + "60s");
  }
}
