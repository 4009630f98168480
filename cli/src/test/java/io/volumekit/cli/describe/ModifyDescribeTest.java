package io.volumekit.cli.describe;

import static io.volumekit.cli.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.volumekit.cli.kind.KindRegistry;
import io.volumekit.cli.print.TablePrinter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * VolumeAttributesClass in the CLI's output: the VOLUMEATTRIBUTESCLASS column of claims and
 * volumes, the VolumeAttributesClass kind's table and describer, and a claim's modification in
 * describe (docs/cli.md).
 */
class ModifyDescribeTest {

  private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");

  private static String describe(String kind, JsonNode o) {
    return new Describer(k -> List.of()).describe(KindRegistry.STANDARD.resolve(kind), o, NOW);
  }

  private static String table(String kind, JsonNode... objects) {
    return new TablePrinter(false, false, false).print(KindRegistry.STANDARD.resolve(kind), List.of(objects), NOW);
  }

  static final JsonNode MODIFYING = obj("{'kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'default',"
      + "'creationTimestamp':'2026-01-09T23:54:57Z'},'spec':{'volumeName':'pvc-1','storageClassName':'fast',"
      + "'volumeAttributesClassName':'silver'},'status':{'phase':'Bound','capacity':{'storage':'1Gi'},"
      + "'accessModes':['ReadWriteOnce'],'currentVolumeAttributesClassName':'gold',"
      + "'modifyVolumeStatus':{'targetVolumeAttributesClassName':'silver','status':'InProgress'},"
      + "'conditions':[{'type':'ModifyingVolume','status':'True','message':'ModifyVolume operation in progress.'}]}}");

  @Test
  void claimTableShowsTheClassTheSpecNames() {
    assertThat(table("pvc", MODIFYING)).isEqualTo(
        "NAME   STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n"
            + "data   Bound    pvc-1    1Gi        RWO            fast           silver                  5m3s\n");
  }

  @Test
  void volumeTableShowsItsClass() {
    JsonNode pv = obj("{'kind':'PersistentVolume','metadata':{'name':'pvc-1','creationTimestamp':'2026-01-09T23:54:57Z'},"
        + "'spec':{'capacity':{'storage':'1Gi'},'accessModes':['ReadWriteOnce'],'persistentVolumeReclaimPolicy':'Delete',"
        + "'claimRef':{'namespace':'default','name':'data'},'storageClassName':'fast',"
        + "'volumeAttributesClassName':'gold'},'status':{'phase':'Bound'}}");
    assertThat(table("pv", pv)).contains("VOLUMEATTRIBUTESCLASS").contains("default/data   fast           gold ");
  }

  @Test
  void volumeAttributesClassTableHasDriverNameAndAge() {
    JsonNode vac = obj("{'kind':'VolumeAttributesClass','metadata':{'name':'gold','creationTimestamp':'2026-01-09T23:00:00Z'},"
        + "'driverName':'hostpath.csi.volumekit.io','parameters':{'iops':'100'}}");
    assertThat(table("vac", vac)).isEqualTo(
        "NAME   DRIVERNAME                  AGE\n"
            + "gold   hostpath.csi.volumekit.io   60m\n");
  }

  @Test
  void volumeAttributesClassDescribe() {
    JsonNode vac = obj("{'kind':'VolumeAttributesClass','metadata':{'name':'gold','annotations':{'a':'b'}},"
        + "'driverName':'hostpath.csi.volumekit.io','parameters':{'iops':'100','throughput':'50'}}");
    assertThat(describe("volumeattributesclass", vac)).isEqualTo("""
        Name:         gold
        Annotations:  a=b
        DriverName:   hostpath.csi.volumekit.io
        Parameters:   iops=100,throughput=50
        Events:       <none>
        """);
  }

  @Test
  void claimDescribeShowsTheClassesAndTheModification() {
    String text = describe("pvc", MODIFYING);
    assertThat(text).contains("""
        Volume:                        pvc-1
        VolumeAttributesClass:         silver
        CurrentVolumeAttributesClass:  gold
        ModifyVolumeStatus:
          TargetVolumeAttributesClassName:  silver
          Status:                           InProgress
        """);
    assertThat(text).contains("ModifyingVolume").contains("ModifyVolume operation in progress.");
  }

  @Test
  void claimWithoutAClassDescribesAsKubectl() {
    JsonNode plain = obj("{'kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'default'},"
        + "'spec':{'storageClassName':'fast'},'status':{'phase':'Pending'}}");
    assertThat(describe("pvc", plain)).doesNotContain("VolumeAttributesClass").doesNotContain("ModifyVolumeStatus");
  }
}
