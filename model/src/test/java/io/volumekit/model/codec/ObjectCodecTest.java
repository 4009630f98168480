package io.volumekit.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.SELinuxOptions;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecurityContext;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.StorageClass;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ObjectCodecTest {
  final ObjectCodec codec = ObjectCodec.standard();

  static final String PVC = """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        namespace: default
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 2048Mi
      """;

  @Test
  void dispatchesOnApiVersionAndKind() {
    DecodeResult r = codec.decode(PVC + "---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\n"
        + "metadata: {name: fast}\nprovisioner: hostpath.csi.volumekit.io\n");
    assertThat(r.objects()).hasSize(2);
    assertThat(r.objects().get(0)).isInstanceOf(PersistentVolumeClaim.class);
    assertThat(r.objects().get(1)).isInstanceOf(StorageClass.class);
    PersistentVolumeClaim pvc = (PersistentVolumeClaim) r.objects().get(0);
    assertThat(pvc.requestedStorage()).contains(Quantity.parse("2Gi"));
  }

  @Test
  void writesApiVersionAndKindFirstAndQuantitiesCanonical() {
    String yaml = codec.encodeYaml(codec.decode(PVC).single());
    assertThat(yaml).isEqualTo("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: data
          namespace: default
        spec:
          accessModes:
          - ReadWriteOnce
          resources:
            requests:
              storage: 2Gi
        """);
  }

  @Test
  void writesJsonWithFourSpaceIndent() {
    String json = codec.encodeJson(codec.decode(PVC).single());
    assertThat(json).startsWith("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"PersistentVolumeClaim\",\n")
        .endsWith("}\n");
  }

  @Test
  void quotesStringsThatAYaml11ReaderWouldTakeForAnotherType() {
    var data = new java.util.LinkedHashMap<String, String>();
    for (String v : List.of("on", "y", "0x1F", "0o17", "1e3", "~", "2026-01-02", "2026-01-02T03:04:05Z", "190:20:30", "=", "<<")) {
      data.put("k" + data.size(), v);
    }
    var cm = new io.volumekit.model.core.ConfigMap(io.volumekit.model.meta.ObjectMeta.named("ns", "c"),
        com.google.common.collect.ImmutableMap.copyOf(data), com.google.common.collect.ImmutableMap.of(), Optional.empty());
    String yaml = codec.encodeYaml(cm);
    for (String v : data.values()) {
      assertThat(yaml).contains(": \"" + v + "\"\n");
    }
    assertThat(codec.decode(yaml).single()).isEqualTo(cm);
  }

  @Test
  void keepsEmptyStorageClassNameApartFromAbsent() {
    PersistentVolumeClaim none = codec.decodeOne(PVC + "  storageClassName: \"\"\n", PersistentVolumeClaim.class);
    PersistentVolumeClaim unset = codec.decodeOne(PVC, PersistentVolumeClaim.class);
    assertThat(none.storageClassName()).contains("");
    assertThat(unset.storageClassName()).isEmpty();
    assertThat(codec.encodeYaml(none)).contains("storageClassName: \"\"");
    assertThat(codec.encodeYaml(unset)).doesNotContain("storageClassName");
    assertThat(codec.decodeOne(codec.encodeJson(none), PersistentVolumeClaim.class)).isEqualTo(none);
  }

  @Test
  void readsJsonStreamsAndLists() {
    String json = """
        {"apiVersion": "v1", "kind": "List", "items": [
          {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv1"},
           "spec": {"capacity": {"storage": 1073741824}, "accessModes": ["ReadWriteOnce"],
                    "hostPath": {"path": "/tmp/pv1"}}},
          {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}}
        ]}
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "team-a"}, "data": {"a": "b"}}
        """;
    DecodeResult r = codec.decode(json);
    assertThat(r.objects()).extracting(ApiObject::kind).containsExactly("PersistentVolume", "Namespace", "ConfigMap");
    assertThat(((PersistentVolume) r.objects().get(0)).capacityStorage()).contains(Quantity.parse("1Gi"));
  }

  @Test
  void readsYamlList() {
    String yaml = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Namespace
          metadata: {name: a}
        - apiVersion: v1
          kind: Namespace
          metadata: {name: b}
        """;
    assertThat(codec.decode(yaml).objects()).extracting(o -> o.metadata().name()).containsExactly("a", "b");
  }

  @Test
  void unknownKindIsAnErrorNamingTheKind() {
    String yaml = "apiVersion: example.com/v1\nkind: Foo\nmetadata: {name: x, namespace: ns}\n";
    assertThatThrownBy(() -> codec.decode(yaml))
        .isInstanceOfSatisfying(UnknownKindException.class, e -> {
          assertThat(e.kind()).isEqualTo("Foo");
          assertThat(e.name()).isEqualTo("x");
          assertThat(e.namespace()).isEqualTo("ns");
        })
        .hasMessage("no matches for kind \"Foo\" in version \"example.com/v1\"");
  }

  @Test
  void missingKindAndVersionAreNamed() {
    assertThatThrownBy(() -> codec.decode("metadata: {name: x}\n"))
        .isInstanceOf(DecodeException.class)
        .hasMessage("error validating data: [apiVersion not set, kind not set]");
  }

  @Test
  void unknownFieldsAreWarningsWithTheirPath() {
    DecodeResult r = codec.decode(PVC + "  foo: 1\n  resourcez: {}\nstatus:\n  phase: Bound\n  bar: [1]\n");
    assertThat(r.warningMessages()).containsExactly("unknown field \"spec.foo\"", "unknown field \"spec.resourcez\"",
        "unknown field \"status.bar\"");
    assertThat(r.warnings().get(0).name()).isEqualTo("data");
    assertThat(((PersistentVolumeClaim) r.single()).isBound()).isTrue();
  }

  @Test
  void unknownFieldsInListItemsNameTheIndex() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: default}
        spec:
          containers:
          - name: a
            image: busybox
            volumeMounts:
            - name: v
              mountPath: /v
              readonly: true
          volumes:
          - name: v
            emptyDir: {medium: Memory, sizelimit: 1Gi}
        """;
    assertThat(codec.decode(pod).warningMessages()).containsExactly(
        "unknown field \"spec.containers[0].volumeMounts[0].readonly\"",
        "unknown field \"spec.volumes[0].emptyDir.sizelimit\"");
  }

  @Test
  void knownKubernetesFieldsOutsideTheModelAreDroppedQuietly() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          managedFields: [{manager: kubectl}]
        spec:
          dnsPolicy: ClusterFirst
          terminationGracePeriodSeconds: 30
          containers:
          - name: a
            image: busybox
            livenessProbe: {exec: {command: [true]}}
            securityContext: {privileged: false}
            envFrom: [{configMapRef: {name: c}}]
            volumes: [{name: misplaced, emptyDir: {}}]
        status:
          qosClass: BestEffort
          containerStatuses: []
        """;
    DecodeResult r = codec.decode(pod);
    assertThat(r.warningMessages()).containsExactly("unknown field \"spec.containers[0].volumes\"");
    assertThat(((Pod) r.single()).spec().containers()).hasSize(1);
  }

  @Test
  void containerSecurityContextKeepsItsSELinuxOptionsAndDropsTheRest() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: a
            image: busybox
            securityContext:
              seLinuxOptions: {level: "s0:c1,c2"}
              runAsUser: 1000
              capabilities: {drop: [ALL]}
              seccompProfile: {type: RuntimeDefault}
        """;
    DecodeResult r = codec.decode(pod);
    assertThat(r.warningMessages()).isEmpty();
    SecurityContext sc = ((Pod) r.single()).spec().containers().get(0).securityContext().orElseThrow();
    assertThat(sc.seLinuxOptions().flatMap(SELinuxOptions::level)).contains("s0:c1,c2");
    assertThat(sc.runAsUser()).contains(1000L);
    assertThat(codec.encodeYaml(r.single())).contains("seLinuxOptions").doesNotContain("capabilities");
  }

  @Test
  void duplicateKeysAreReported() {
    String yaml = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n";
    assertThat(codec.decode(yaml).warningMessages()).containsExactly("duplicate field \"metadata.name\"");
    String json = "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"a\", \"name\": \"b\"}}";
    DecodeResult r = codec.decode(json);
    assertThat(r.warningMessages()).containsExactly("duplicate field \"metadata.name\"");
    assertThat(r.single().metadata().name()).isEqualTo("b");
    assertThatThrownBy(() -> codec.withMode(ObjectCodec.Mode.STRICT).decode(yaml))
        .hasMessage("Namespace in version \"v1\" cannot be handled as a Namespace: strict decoding error: "
            + "duplicate field \"metadata.name\"");
  }

  @Test
  void flexVolumeIsRefusedWithItsFieldPathInEveryMode() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers: [{name: c, image: busybox}]
          volumes:
          - name: data
            flexVolume: {driver: example.com/lvm}
        """;
    for (ObjectCodec.Mode mode : ObjectCodec.Mode.values()) {
      assertThatThrownBy(() -> codec.withMode(mode).decode(pod))
          .isInstanceOf(DecodeException.class)
          .hasMessage("Pod is invalid: spec.volumes[0].flexVolume: Forbidden: flexVolume volumes are not supported;"
              + " use a CSI driver")
          .extracting(e -> ((DecodeException) e).fieldPath().orElseThrow()).isEqualTo("spec.volumes[0].flexVolume");
    }
    String pv = """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          flexVolume: {driver: example.com/lvm}
        """;
    assertThatThrownBy(() -> codec.decode(pv))
        .hasMessage("PersistentVolume is invalid: spec.flexVolume: Forbidden: flexVolume volumes are not supported;"
            + " use a CSI driver");
  }

  @Test
  void wrongTypesNameTheFieldPath() {
    assertThatThrownBy(() -> codec.decode(PVC.replace("accessModes: [ReadWriteOnce]", "accessModes: ReadWriteOnce")))
        .isInstanceOf(DecodeException.class)
        .hasMessage("PersistentVolumeClaim is invalid: spec.accessModes: expected a list, got a string")
        .extracting(e -> ((DecodeException) e).fieldPath().orElseThrow()).isEqualTo("spec.accessModes");
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: a
            volumeMounts:
            - {name: v, mountPath: /v, readOnly: "yes"}
        """;
    assertThatThrownBy(() -> codec.decode(pod))
        .hasMessage("Pod is invalid: spec.containers[0].volumeMounts[0].readOnly: expected a boolean, got a string");
    assertThatThrownBy(() -> codec.decode("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [a]\n"))
        .hasMessage("Namespace is invalid: metadata.name: expected a string, got a list");
    assertThatThrownBy(() -> codec.decode("apiVersion: v1\nkind: Namespace\nmetadata:\n  labels: {a: 1}\n"))
        .hasMessage("Namespace is invalid: metadata.labels[a]: expected a string, got a number");
  }

  @Test
  void unquotedNumbersAreQuantitiesByValue() {
    assertThat(codec.decodeOne(PVC.replace("2048Mi", "1e3"), PersistentVolumeClaim.class).requestedStorage())
        .map(Quantity::toString).contains("1k");
    assertThat(codec.decodeOne(PVC.replace("2048Mi", "0.5"), PersistentVolumeClaim.class).requestedStorage())
        .map(Quantity::toString).contains("500m");
    assertThat(codec.decodeOne(PVC.replace("2048Mi", "1073741824"), PersistentVolumeClaim.class).requestedStorage())
        .contains(Quantity.parse("1Gi"));
    assertThat(codec.decodeOne(PVC.replace("2048Mi", "\"1e3\""), PersistentVolumeClaim.class).requestedStorage())
        .map(Quantity::toString).contains("1e3");
  }

  @Test
  void malformedQuantitiesNameTheFieldPath() {
    assertThatThrownBy(() -> codec.decode(PVC.replace("2048Mi", "2 GB")))
        .hasMessage("PersistentVolumeClaim is invalid: spec.resources.requests[storage]: quantities must match the "
            + "regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    assertThatThrownBy(() -> codec.decode(PVC.replace("2048Mi", "1e999999")))
        .hasMessage("PersistentVolumeClaim is invalid: spec.resources.requests[storage]: quantity is too large: "
            + "its magnitude must be at most 9223372036854775807 (2^63-1)");
  }

  @Test
  void malformedYamlIsRefusedWithItsLine() {
    assertThatThrownBy(() -> codec.decode("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n"))
        .isInstanceOf(DecodeException.class)
        .hasMessageStartingWith("error parsing YAML: line 5, column 1:");
  }

  @Test
  void malformedJsonIsRefused() {
    assertThatThrownBy(() -> codec.decode("{\"apiVersion\": \"v1\", \"kind\": "))
        .isInstanceOf(DecodeException.class)
        .hasMessageStartingWith("error parsing JSON: line 1");
  }

  @Test
  @Timeout(30)
  void aliasBombIsRefused() {
    StringBuilder b = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\na0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 30; i++) {
      b.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      b.append("]\n");
    }
    assertThatThrownBy(() -> codec.decode(b.toString()))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("aliases");
  }

  @Test
  @Timeout(30)
  void aliasExpansionIsBoundedEvenUnderTheAliasLimit() {
    ObjectCodec small = ObjectCodec.of(ObjectCodec.Mode.WARN, new CodecLimits(1 << 20, 100, 50, 10_000));
    StringBuilder b = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\na0: &a0 [x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      b.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1)
          .append(", *a").append(i - 1).append(", *a").append(i - 1).append("]\n");
    }
    assertThatThrownBy(() -> small.decode(b.toString()))
        .isInstanceOf(DecodeException.class)
        .hasMessage("document is too large: more than 10000 values (after expanding aliases)");
  }

  @Test
  @Timeout(30)
  void hundredMegabyteInputIsRefusedWithoutReadingItAll() {
    long size = 100L * 1024 * 1024;
    InputStream huge = new InputStream() {
      long left = size;

      @Override
      public int read() {
        return left-- > 0 ? 'a' : -1;
      }

      @Override
      public int read(byte[] buf, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(buf, off, off + n, (byte) 'a');
        left -= n;
        return n;
      }
    };
    assertThatThrownBy(() -> codec.decode(huge))
        .isInstanceOf(DecodeException.class)
        .hasMessage("input is larger than 8388608 bytes");
  }

  @Test
  @Timeout(30)
  void deepNestingIsRefused() {
    String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
    assertThatThrownBy(() -> codec.decode(yaml)).isInstanceOf(DecodeException.class)
        .hasMessageContaining("error parsing YAML").hasMessageContaining("Nesting Depth exceeded");
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertThatThrownBy(() -> codec.decode(json)).isInstanceOf(DecodeException.class)
        .hasMessageStartingWith("input exceeds limits: Document nesting depth");
  }

  @Test
  void nothingIsReturnedWhenALaterDocumentFails() {
    String stream = PVC + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: [x]}\n";
    assertThatThrownBy(() -> codec.decode(stream))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.document()).isEqualTo(2));
  }

  @Test
  void secretValuesNeverAppearInErrorsOrToString() {
    String secret = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: s
          annotations: {kubectl.kubernetes.io/last-applied-configuration: "password: hunter2"}
        data:
          password: aHVudGVyMg==
        stringData:
          token: hunter2
        """;
    Secret s = codec.decodeOne(secret, Secret.class);
    assertThat(s.toString()).doesNotContain("hunter2").doesNotContain("aHVudGVyMg==").contains("password");
    assertThat(new String(s.value("password").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("hunter2");
    assertThatThrownBy(() -> codec.decode(secret.replace("aHVudGVyMg==", "[hunter2]")))
        .hasMessage("Secret is invalid: data[password]: expected a string, got a list")
        .hasNoCause();
  }

  @Test
  void readsAlreadyParsedTrees() {
    ApiObject pvc = codec.decode(PVC).single();
    var tree = codec.toTree(pvc);
    assertThat(tree.get("kind").asText()).isEqualTo("PersistentVolumeClaim");
    assertThat(codec.decode(tree).single()).isEqualTo(pvc);
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("spec")).put("foo", 1);
    assertThat(codec.decode(tree).warningMessages()).containsExactly("unknown field \"spec.foo\"");
  }

  @Test
  void emptyDocumentsAreSkipped() {
    assertThat(codec.decode("---\n---\n" + PVC + "---\n").objects()).hasSize(1);
    assertThat(codec.decode("").objects()).isEmpty();
  }

  @Test
  void writesSeveralObjectsAsOneStream() {
    var objects = codec.decode(PVC + "---\n" + PVC.replace("name: data", "name: logs")).objects();
    String yaml = codec.encodeYaml(objects);
    assertThat(yaml).contains("---\n");
    assertThat(codec.decode(yaml).objects()).isEqualTo(objects);
  }

  @Test
  void pvcHelpersReadTheSpec() {
    PersistentVolumeClaim pvc = codec.decodeOne(PVC + "  volumeName: pv-1\n", PersistentVolumeClaim.class);
    assertThat(pvc.volumeName()).contains("pv-1");
    assertThat(pvc.phase()).isEqualTo("Pending");
    assertThat(pvc.spec().effectiveVolumeMode()).isEqualTo("Filesystem");
    assertThat(pvc.storageClassName()).isEqualTo(Optional.empty());
    Pod pod = codec.decodeOne("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  volumes:\n"
        + "  - {name: a, persistentVolumeClaim: {claimName: c1}}\n  - {name: b, emptyDir: {}}\n", Pod.class);
    assertThat(pod.claimNames()).containsExactly("c1");
    assertThat(pod.spec().volume("b").flatMap(v -> v.source())).get()
        .isInstanceOf(io.volumekit.model.core.EmptyDirVolumeSource.class);
  }
}
