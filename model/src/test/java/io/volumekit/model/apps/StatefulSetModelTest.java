package io.volumekit.model.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.meta.Kinds;
import io.volumekit.model.validation.Defaults;
import io.volumekit.model.validation.InvalidObjectException;
import io.volumekit.model.validation.Validation;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * apps/v1 StatefulSet in the model: read as {@code kubectl get sts -o yaml} prints it, the API
 * server's defaults, and its validation messages ({@code pkg/apis/apps/validation}).
 */
class StatefulSetModelTest {
  static final ObjectCodec CODEC = ObjectCodec.standard();

  /** What {@code kubectl get sts db -o yaml} prints for a defaulted, running 3-replica set. */
  static final String KUBECTL_YAML = """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        creationTimestamp: "2026-01-02T03:04:05Z"
        generation: 1
        name: db
        namespace: default
        resourceVersion: "1234"
        uid: 6f1b2c3d-0000-4000-8000-000000000001
      spec:
        persistentVolumeClaimRetentionPolicy:
          whenDeleted: Retain
          whenScaled: Delete
        podManagementPolicy: OrderedReady
        replicas: 3
        revisionHistoryLimit: 10
        selector:
          matchLabels:
            app: db
        serviceName: db
        template:
          metadata:
            creationTimestamp: null
            labels:
              app: db
          spec:
            containers:
            - image: postgres:16
              imagePullPolicy: IfNotPresent
              name: postgres
              terminationMessagePath: /dev/termination-log
              terminationMessagePolicy: File
              volumeMounts:
              - mountPath: /var/lib/postgresql/data
                name: data
            dnsPolicy: ClusterFirst
            restartPolicy: Always
            schedulerName: default-scheduler
            terminationGracePeriodSeconds: 30
        updateStrategy:
          rollingUpdate:
            partition: 0
          type: RollingUpdate
        volumeClaimTemplates:
        - apiVersion: v1
          kind: PersistentVolumeClaim
          metadata:
            creationTimestamp: null
            name: data
          spec:
            accessModes:
            - ReadWriteOnce
            resources:
              requests:
                storage: 1Gi
            volumeMode: Filesystem
          status:
            phase: Pending
      status:
        availableReplicas: 3
        collisionCount: 0
        currentReplicas: 3
        currentRevision: db-5d8f7c9b6
        observedGeneration: 1
        readyReplicas: 3
        replicas: 3
        updateRevision: db-5d8f7c9b6
        updatedReplicas: 3
      """;

  static final String MANIFEST = """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: db, namespace: default}
      spec:
        serviceName: db
        selector: {matchLabels: {app: db}}
        template:
          metadata: {labels: {app: db}}
          spec:
            containers:
            - {name: postgres, image: "postgres:16"}
        volumeClaimTemplates:
        - metadata: {name: data}
          spec:
            accessModes: [ReadWriteOnce]
            resources: {requests: {storage: 1Gi}}
      """;

  @Test
  void readsWhatKubectlPrintsAndWritesItBackTheSame() {
    StatefulSet set = CODEC.withMode(ObjectCodec.Mode.STRICT).decodeOne(KUBECTL_YAML, StatefulSet.class);
    StatefulSetSpec s = set.spec();
    assertThat(s.replicasOrDefault()).isEqualTo(3);
    assertThat(s.selector().orElseThrow().matchLabels()).containsEntry("app", "db");
    assertThat(s.retentionPolicy().deleteWhenScaled()).isTrue();
    assertThat(s.retentionPolicy().deleteWhenDeleted()).isFalse();
    assertThat(s.updateStrategy().orElseThrow().rollingUpdate().orElseThrow().partition()).contains(0);
    assertThat(s.volumeClaimTemplates()).singleElement()
        .satisfies(t -> assertThat(t.metadata().name()).isEqualTo("data"));
    assertThat(set.status().readyReplicas()).contains(3);

    String written = CODEC.encodeYaml(set);
    assertThat(CODEC.decodeOne(written, StatefulSet.class)).isEqualTo(set);
    assertThat(written).contains("  podManagementPolicy: OrderedReady\n", "  - apiVersion: v1\n    kind: PersistentVolumeClaim\n",
        "    whenScaled: Delete\n", "    type: RollingUpdate\n", "  readyReplicas: 3\n");
    // Defaulting what the API server already defaulted changes nothing.
    assertThat(Defaults.apply(set)).isEqualTo(set);
    assertThat(Validation.validate(set)).isEmpty();
  }

  @Test
  void isKnownByItsKubectlNames() {
    for (String name : new String[] {"sts", "statefulsets", "statefulset", "StatefulSet", "statefulsets.apps"}) {
      assertThat(Kinds.byName(name).orElseThrow().type()).isEqualTo(StatefulSet.class);
    }
  }

  @Test
  void defaultsAsTheApiServerDoes() {
    StatefulSet set = Defaults.apply(CODEC.decodeOne(MANIFEST, StatefulSet.class));
    StatefulSetSpec s = set.spec();
    assertThat(s.podManagementPolicy()).contains(StatefulSetSpec.ORDERED_READY);
    assertThat(s.replicas()).contains(1);
    assertThat(s.revisionHistoryLimit()).contains(10);
    assertThat(s.persistentVolumeClaimRetentionPolicy()).contains(StatefulSetPersistentVolumeClaimRetentionPolicy.RETAIN_ALL);
    assertThat(s.updateStrategy()).as("updateStrategy is kept as written").isEmpty();
    assertThat(s.ordinals()).isEmpty();
    assertThat(s.startOrdinal()).isZero();
    assertThat(s.template().spec().restartPolicy()).contains("Always");
    assertThat(s.volumeClaimTemplates().get(0).spec().volumeMode()).contains("Filesystem");
    assertThat(s.volumeClaimTemplates().get(0).status().phase()).contains("Pending");
    assertThat(Defaults.apply(CODEC.decodeOne(MANIFEST + "  ordinals: {}\n", StatefulSet.class)).spec().ordinals())
        .map(StatefulSetOrdinals::start).contains(java.util.Optional.of(0));
    assertThat(Validation.validate(set)).isEmpty();
  }

  static final String HEAD = "The StatefulSet \"db\" is invalid: ";

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("negative replicas", MANIFEST + "  replicas: -1\n",
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        Arguments.of("negative start ordinal", MANIFEST + "  ordinals: {start: -2}\n",
            "spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0"),
        Arguments.of("negative minReadySeconds", MANIFEST + "  minReadySeconds: -5\n",
            "spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0"),
        Arguments.of("unknown pod management policy", MANIFEST + "  podManagementPolicy: Random\n",
            "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"),
        Arguments.of("unknown retention", MANIFEST + "  persistentVolumeClaimRetentionPolicy: {whenScaled: Keep}\n",
            "spec.persistentVolumeClaimRetentionPolicy.whenScaled: Unsupported value: \"Keep\": "
                + "supported values: \"Retain\", \"Delete\""),
        Arguments.of("selector not matching the template", MANIFEST.replace("matchLabels: {app: db}", "matchLabels: {app: web}"),
            "spec.template.metadata.labels: Invalid value: {\"app\":\"db\"}: `selector` does not match template `labels`"),
        Arguments.of("no selector", MANIFEST.replace("  selector: {matchLabels: {app: db}}\n", ""),
            "spec.selector: Required value"),
        Arguments.of("empty selector", MANIFEST.replace("matchLabels: {app: db}", "matchLabels: {}"),
            "spec.selector: Invalid value: {}: empty selector is invalid for statefulset"),
        Arguments.of("restartPolicy other than Always", MANIFEST.replace("    spec:\n      containers:",
                "    spec:\n      restartPolicy: OnFailure\n      containers:"),
            "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""),
        Arguments.of("OnDelete with rollingUpdate", MANIFEST + "  updateStrategy: {type: OnDelete, rollingUpdate: {partition: 1}}\n",
            "spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":1}: only allowed for updateStrategy 'RollingUpdate'"),
        Arguments.of("negative partition", MANIFEST + "  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: -1}}\n",
            "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"),
        Arguments.of("name that is not a DNS label", MANIFEST.replace("name: db,", "name: db.v1,"),
            "metadata.name: Invalid value: \"db.v1\": a lowercase RFC 1123 label must consist of lower case alphanumeric "
                + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
                + "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
        Arguments.of("claim template without a name", MANIFEST.replace("  - metadata: {name: data}\n", "  - metadata: {}\n"),
            "spec.volumeClaimTemplates[0].metadata.name: Required value: name or generateName is required"),
        Arguments.of("two claim templates with one name", MANIFEST
                + "  - metadata: {name: data}\n    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}\n",
            "spec.volumeClaimTemplates[1].metadata.name: Duplicate value: \"data\""),
        Arguments.of("claim template without storage", MANIFEST.replace("      resources: {requests: {storage: 1Gi}}\n", ""),
            "spec.volumeClaimTemplates[0].spec.resources[storage]: Required value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void isRefusedWithTheApiServersWords(String name, String yaml, String message) {
    StatefulSet set = Defaults.apply(CODEC.withMode(ObjectCodec.Mode.STRICT).decodeOne(yaml, StatefulSet.class));
    String expected = name.startsWith("name ") ? "The StatefulSet \"db.v1\" is invalid: " + message : HEAD + message;
    assertThatThrownBy(() -> Validation.check(set)).isInstanceOf(InvalidObjectException.class).hasMessage(expected);
  }

  @Test
  void anUpdateMayChangeOnlyTheMutableFields() {
    StatefulSet old = Defaults.apply(CODEC.decodeOne(MANIFEST, StatefulSet.class));
    StatefulSet scaled = old.withSpec(old.spec().withReplicas(java.util.Optional.of(5))
        .withPersistentVolumeClaimRetentionPolicy(java.util.Optional.of(
            StatefulSetPersistentVolumeClaimRetentionPolicy.RETAIN_ALL.withWhenScaled(java.util.Optional.of("Delete")))));
    assertThat(Validation.validateUpdate(old, scaled)).isEmpty();

    StatefulSet renamedService = old.withSpec(old.spec().withServiceName(java.util.Optional.of("other")));
    assertThatThrownBy(() -> Validation.checkUpdate(old, renamedService)).hasMessage(HEAD
        + "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
        + "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    StatefulSet biggerClaims = old.withSpec(old.spec().withVolumeClaimTemplates(com.google.common.collect.ImmutableList.of(
        old.spec().volumeClaimTemplates().get(0).withStatus(old.spec().volumeClaimTemplates().get(0).status()
            .withPhase(java.util.Optional.of("Bound"))))));
    assertThat(Validation.validateUpdate(old, biggerClaims)).singleElement()
        .satisfies(e -> assertThat(e.toString()).startsWith("spec: Forbidden"));
  }
}
