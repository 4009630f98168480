package io.volumekit.core;

import static io.volumekit.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {

  @Test
  void bindsAndProvisionsAndDeletes() {
    InMemoryCsiDriver driver = new InMemoryCsiDriver();
    List<String> trace = new ArrayList<>();
    VolumeKit kit = VolumeKit.builder().deterministic(1).driver(DRIVER, driver).node("node-1")
        .trace(trace::add).build();
    kit.apply(pv("pv1", "1Gi"));
    kit.apply(withClass(pvc("static", "1Gi"), ""));
    kit.apply(sc("fast"));
    kit.apply(withClass(pvc("dyn", "2Gi"), "fast"));
    var r = kit.settle();
    trace.forEach(System.out::println);
    System.out.println(r);
    kit.events().forEach(e -> System.out.println(e.reason() + " " + e.message() + " " + e.involvedObject().name()));
    PersistentVolumeClaim s = kit.get(PersistentVolumeClaim.class, NS, "static").orElseThrow();
    assertThat(s.phase()).isEqualTo("Bound");
    PersistentVolumeClaim d = kit.get(PersistentVolumeClaim.class, NS, "dyn").orElseThrow();
    assertThat(d.phase()).isEqualTo("Bound");
    assertThat(driverVolumes(driver)).hasSize(1);
    kit.delete(pvcKey("dyn"));
    kit.settle();
    assertThat(driverVolumes(driver)).isEmpty();
    assertThat(kit.list(PersistentVolume.class)).hasSize(1);
    assertThat(r.quiescent()).isTrue();
  }
}
