package io.volumekit.model.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.model.core.NodeSelector;
import io.volumekit.model.core.NodeSelectorRequirement;
import io.volumekit.model.core.NodeSelectorTerm;
import io.volumekit.model.core.Taint;
import io.volumekit.model.core.Toleration;
import io.volumekit.model.core.TolerationBuilder;
import io.volumekit.model.core.TopologySelectorLabelRequirement;
import io.volumekit.model.core.TopologySelectorTerm;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SelectorsTest {
  static LabelSelectorRequirement req(String key, String op, String... values) {
    return new LabelSelectorRequirement(key, op, ImmutableList.copyOf(values));
  }

  static NodeSelectorRequirement nreq(String key, String op, String... values) {
    return new NodeSelectorRequirement(key, op, ImmutableList.copyOf(values));
  }

  @Test
  void labelSelectorAndsLabelsAndExpressions() {
    LabelSelector s = LabelSelectorBuilder.builder()
        .matchLabels(com.google.common.collect.ImmutableMap.of("app", "db"))
        .matchExpressions(ImmutableList.of(req("tier", "In", "gold", "silver"), req("legacy", "DoesNotExist")))
        .build();
    assertThat(s.matches(Map.of("app", "db", "tier", "gold"))).isTrue();
    assertThat(s.matches(Map.of("app", "db", "tier", "bronze"))).isFalse();
    assertThat(s.matches(Map.of("app", "db", "tier", "gold", "legacy", ""))).isFalse();
    assertThat(s.matches(Map.of("tier", "gold"))).isFalse();
  }

  @Test
  void emptyLabelSelectorMatchesEverything() {
    assertThat(LabelSelectorBuilder.builder().build().matches(Map.of())).isTrue();
    assertThat(LabelSelectorBuilder.builder().build().isEmpty()).isTrue();
  }

  @Test
  void labelSelectorOperators() {
    assertThat(req("a", "NotIn", "x").matches(Map.of())).isTrue();
    assertThat(req("a", "NotIn", "x").matches(Map.of("a", "x"))).isFalse();
    assertThat(req("a", "Exists").matches(Map.of("a", ""))).isTrue();
    assertThat(req("a", "Exists").matches(Map.of())).isFalse();
    assertThat(req("a", "Bogus").matches(Map.of("a", "x"))).isFalse();
  }

  @Test
  void nodeSelectorTermsAreOredAndRequirementsAnded() {
    NodeSelector ns = new NodeSelector(ImmutableList.of(
        new NodeSelectorTerm(ImmutableList.of(nreq("zone", "In", "a"), nreq("disk", "Exists")), ImmutableList.of()),
        new NodeSelectorTerm(ImmutableList.of(), ImmutableList.of(nreq("metadata.name", "In", "node-9")))));
    assertThat(ns.matches(Map.of("zone", "a", "disk", "ssd"), Map.of("metadata.name", "node-1"))).isTrue();
    assertThat(ns.matches(Map.of("zone", "a"), Map.of("metadata.name", "node-1"))).isFalse();
    assertThat(ns.matches(Map.of(), Map.of("metadata.name", "node-9"))).isTrue();
  }

  @Test
  void emptyNodeSelectorTermMatchesNothing() {
    NodeSelector ns = new NodeSelector(ImmutableList.of(new NodeSelectorTerm(ImmutableList.of(), ImmutableList.of())));
    assertThat(ns.matches(Map.of("a", "b"), Map.of())).isFalse();
  }

  @Test
  void gtAndLtCompareIntegers() {
    assertThat(nreq("cores", "Gt", "8").matches(Map.of("cores", "16"))).isTrue();
    assertThat(nreq("cores", "Gt", "8").matches(Map.of("cores", "8"))).isFalse();
    assertThat(nreq("cores", "Lt", "8").matches(Map.of("cores", "4"))).isTrue();
    assertThat(nreq("cores", "Lt", "8").matches(Map.of("cores", "four"))).isFalse();
    assertThat(nreq("cores", "Gt", "8").matches(Map.of())).isFalse();
  }

  @Test
  void topologyTermNeedsEveryKey() {
    TopologySelectorTerm t = new TopologySelectorTerm(ImmutableList.of(
        new TopologySelectorLabelRequirement("zone", ImmutableList.of("a", "b"))));
    assertThat(t.matches(Map.of("zone", "b"))).isTrue();
    assertThat(t.matches(Map.of("zone", "c"))).isFalse();
  }

  static Toleration tol(String key, String op, String value, String effect) {
    return TolerationBuilder.builder().key(Optional.ofNullable(key)).operator(Optional.ofNullable(op))
        .value(Optional.ofNullable(value)).effect(Optional.ofNullable(effect)).build();
  }

  @Test
  void tolerationsMatchTaints() {
    Taint t = Taint.of("dedicated", "db", "NoSchedule");
    assertThat(tol("dedicated", "Equal", "db", "NoSchedule").tolerates(t)).isTrue();
    assertThat(tol("dedicated", null, "db", null).tolerates(t)).isTrue();
    assertThat(tol("dedicated", "Equal", "web", "NoSchedule").tolerates(t)).isFalse();
    assertThat(tol("dedicated", "Exists", null, "NoExecute").tolerates(t)).isFalse();
    assertThat(tol("dedicated", "Exists", null, null).tolerates(t)).isTrue();
    assertThat(tol(null, "Exists", null, null).tolerates(t)).isTrue();
    assertThat(tol("other", "Exists", null, null).tolerates(t)).isFalse();
    assertThat(Toleration.anyTolerates(List.of(tol("other", "Exists", null, null), tol(null, "Exists", null, null)), t))
        .isTrue();
  }

  @Test
  void kindsAreFoundByKubectlNames() {
    assertThat(Kinds.byName("pvc").orElseThrow().kind()).isEqualTo("PersistentVolumeClaim");
    assertThat(Kinds.byName("storageclasses.storage.k8s.io").orElseThrow().kind()).isEqualTo("StorageClass");
    assertThat(Kinds.byName("VS").orElseThrow().kind()).isEqualTo("VolumeSnapshot");
    assertThat(Kinds.byName("sc").orElseThrow().qualifiedResource()).isEqualTo("storageclasses.storage.k8s.io");
    assertThat(Kinds.byName("pv").orElseThrow().namespaced()).isFalse();
    assertThat(Kinds.byName("widgets")).isEmpty();
    assertThat(Kinds.ALL).hasSize(20);
  }
}
