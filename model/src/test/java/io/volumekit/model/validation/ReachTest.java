package io.volumekit.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.meta.ApiObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Reach} never skips the validator for an object it would refuse: for every object of the
 * invalid-objects table and for one object per field constraint of the model (each placed deep in
 * its cascade), a violation found by Hibernate Validator means {@code mayViolate}; and the claim
 * and pod of the lifecycle benchmark, which contain no constrained value, skip it.
 */
class ReachTest {

  private static final ObjectCodec CODEC = InvalidObjectsTableTest.CODEC.withMode(ObjectCodec.Mode.STRICT);

  private static void assertNoViolationIsSkipped(ApiObject o) {
    if (!BeanConstraints.validator().validate(o).isEmpty()) {
      assertThat(Reach.mayViolate(o)).as("%s may violate", o).isTrue();
    }
  }

  @Test
  void everyInvalidObjectOfTheTableThatTheValidatorRefusesIsWalkedToItsViolation() {
    int refusedByConstraints = 0;
    for (InvalidObjectsTableTest.Case c : InvalidObjectsTableTest.CASES) {
      ApiObject o = CODEC.decode(c.yaml()).single();
      refusedByConstraints += BeanConstraints.validator().validate(o).isEmpty() ? 0 : 1;
      assertNoViolationIsSkipped(o);
    }
    assertThat(refusedByConstraints).isGreaterThanOrEqualTo(8);
  }

  @Test
  void eachFieldConstraintIsReached() {
    String pod = InvalidObjectsTableTest.POD_NO_MOUNT;
    List<String> yamls = List.of(
        pod.replace("persistentVolumeClaim: {claimName: c}",
            "projected: {sources: [{configMap: {name: c, items: [{key: k, path: p, mode: -1}]}}]}"),
        pod.replace("persistentVolumeClaim: {claimName: c}",
            "projected: {sources: [{secret: {name: s, items: [{key: k, path: p, mode: 4096}]}}]}"),
        pod.replace("persistentVolumeClaim: {claimName: c}", "projected: {defaultMode: -1, sources: []}"),
        pod.replace("persistentVolumeClaim: {claimName: c}", "downwardAPI: {defaultMode: 4096}"),
        pod.replace("persistentVolumeClaim: {claimName: c}",
            "projected: {sources: [{serviceAccountToken: {path: t, expirationSeconds: 8589934592}}]}"),
        "apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: n}\n"
            + "spec: {drivers: [{name: d.example.com, nodeID: " + "x".repeat(129) + "}]}\n",
        "apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: n}\n"
            + "spec: {drivers: [{name: d.example.com, nodeID: n1, allocatable: {count: -1}}]}\n",
        "apiVersion: v1\nkind: Event\nmetadata: {name: e, namespace: default}\ninvolvedObject: {kind: Pod, name: p}\n"
            + "reason: R\ncount: -1\n");
    for (String yaml : yamls) {
      ApiObject o = CODEC.decode(yaml).single();
      assertThat(BeanConstraints.validator().validate(o)).as(yaml).isNotEmpty();
      assertThat(Reach.mayViolate(o)).as(yaml).isTrue();
    }
  }

  @Test
  void objectsWithoutConstrainedValuesSkipTheValidator() {
    ApiObject claim = Defaults.apply(CODEC.decode(InvalidObjectsTableTest.PVC).single());
    ApiObject pod = Defaults.apply(CODEC.decode(InvalidObjectsTableTest.POD).single());
    assertThat(Reach.mayViolate(claim)).isFalse();
    assertThat(Reach.mayViolate(pod)).isFalse();
    assertThat(Validation.validate(pod)).isEmpty();
  }
}
