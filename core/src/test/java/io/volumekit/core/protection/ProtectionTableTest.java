package io.volumekit.core.protection;

import static io.volumekit.core.Fixtures.*;
import static io.volumekit.core.TableCase.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.TableCase;
import io.volumekit.core.api.Finalizers;
import io.volumekit.core.store.InvalidException;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.meta.OwnerReference;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** In-use protection and garbage collection (docs/cases/protection.md). */
class ProtectionTableTest {

  static Stream<TableCase> cases() {
    return Stream.of(
        row("5.1 adds the protection finalizers to new claims and volumes",
            s -> s.apply(pv("pv1", "1Gi"), withClass(pvc("c1", "5Gi"), "")),
            s -> {
              assertThat(s.pvc("c1").metadata().finalizers()).containsExactly(Finalizers.PVC_PROTECTION);
              assertThat(s.pv("pv1").metadata().finalizers()).containsExactly(Finalizers.PV_PROTECTION);
            }),
        row("5.1b puts the finalizer back on a live claim that lost it",
            s -> {
              s.apply(withClass(pvc("c1", "5Gi"), ""));
              s.settle();
              PersistentVolumeClaim c = s.pvc("c1");
              s.apply(c.withMetadata(c.metadata().withFinalizers(ImmutableList.of())));
              s.kit.runtime().submit(new io.volumekit.core.event.Event.Applied(
                  c.withMetadata(c.metadata().withFinalizers(ImmutableList.of()))));
            },
            s -> assertThat(s.pvc("c1").metadata().finalizers()).contains(Finalizers.PVC_PROTECTION)),
        row("5.2 removes an unused deleted claim",
            s -> {
              s.apply(withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> assertThat(s.hasPvc("c1")).isFalse()),
        row("5.2b keeps a deleted claim while a scheduled pod uses it",
            s -> {
              s.apply(pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), ""), pod("web", "node-1", "c1"));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> {
              assertThat(s.pvc("c1").metadata().isDeleting()).isTrue();
              s.assertBound("c1", "pv1");
              s.delete(podKey("web"));
              s.settle();
              assertThat(s.hasPvc("c1")).isFalse();
              assertThat(s.pv("pv1").phase()).isEqualTo("Released");
            }),
        row("5.2c lets an unscheduled pod not block deletion",
            s -> {
              s.apply(withClass(pvc("c1", "1Gi"), ""), pod("web", "", "c1"));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> assertThat(s.hasPvc("c1")).isFalse()),
        row("5.2d keeps a claim used by a Succeeded pod until the pod object is deleted",
            s -> {
              Pod p = pod("job", "node-1", "c1");
              s.apply(withClass(pvc("c1", "1Gi"), ""),
                  p.withStatus(p.status().withPhase(Optional.of(PodStatus.SUCCEEDED))));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> assertThat(s.pvc("c1").metadata().isDeleting()).isTrue()),
        row("5.3 keeps a deleted bound volume until it is no longer Bound",
            s -> {
              s.apply(pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), ""));
              s.settle();
              s.delete(pvKey("pv1"));
            },
            s -> {
              assertThat(s.pv("pv1").metadata().isDeleting()).isTrue();
              assertThat(s.pv("pv1").metadata().finalizers()).contains(Finalizers.PV_PROTECTION);
              s.delete(pvcKey("c1"));
              s.settle();
              assertThat(s.hasPv("pv1")).isFalse();
            }),
        row("5.3b removes a deleted available volume at once",
            s -> {
              s.apply(pv("pv1", "1Gi"));
              s.settle();
              s.delete(pvKey("pv1"));
            },
            s -> assertThat(s.hasPv("pv1")).isFalse()),
        row("5.4 refuses new finalizers on an object being deleted",
            s -> {
              s.apply(withClass(pvc("c1", "1Gi"), ""), pod("web", "node-1", "c1"));
              s.settle();
              s.delete(pvcKey("c1"));
            },
            s -> {
              PersistentVolumeClaim c = s.pvc("c1");
              assertThatThrownBy(() -> s.kit.apply(c.withMetadata(c.metadata().withFinalizer("example.com/late"))))
                  .isInstanceOf(InvalidException.class)
                  .hasMessageContaining("no new finalizers can be added if the object is being deleted");
            }),
        row("gc-1 deletes a claim owned by a pod when the pod goes",
            s -> {
              s.apply(pod("web", "node-1"));
              Pod p = s.kit.get(Pod.class, NS, "web").orElseThrow();
              PersistentVolumeClaim c = withClass(pvc("web-data", "1Gi"), "");
              s.apply(c.withMetadata(c.metadata().withOwnerReferences(ImmutableList.of(new OwnerReference(
                  "v1", "Pod", "web", p.metadata().uid().orElseThrow(), Optional.of(true), Optional.of(true))))));
              s.settle();
              assertThat(s.hasPvc("web-data")).isTrue();
              s.delete(podKey("web"));
            },
            s -> assertThat(s.hasPvc("web-data")).isFalse()),
        row("gc-2 keeps a dependent while one of its owners remains",
            s -> {
              s.apply(pod("a", "node-1"), pod("b", "node-1"));
              String ua = s.kit.get(Pod.class, NS, "a").orElseThrow().metadata().uid().orElseThrow();
              String ub = s.kit.get(Pod.class, NS, "b").orElseThrow().metadata().uid().orElseThrow();
              PersistentVolumeClaim c = withClass(pvc("shared", "1Gi"), "");
              s.apply(c.withMetadata(c.metadata().withOwnerReferences(ImmutableList.of(
                  new OwnerReference("v1", "Pod", "a", ua, Optional.empty(), Optional.empty()),
                  new OwnerReference("v1", "Pod", "b", ub, Optional.empty(), Optional.empty())))));
              s.settle();
              s.delete(podKey("a"));
            },
            s -> assertThat(s.hasPvc("shared")).isTrue()));
  }

  static io.volumekit.core.key.ObjectKey podKey(String name) {
    return io.volumekit.core.key.ObjectKey.namespaced(Pod.KIND, NS, name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void protection(TableCase c) {
    c.run();
  }
}
