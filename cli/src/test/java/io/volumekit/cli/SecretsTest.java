package io.volumekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.VolumeKit;
import io.volumekit.model.core.ConfigMap;
import io.volumekit.model.core.ConfigMapBuilder;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecretBuilder;
import io.volumekit.model.meta.ObjectMeta;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets as the API server keeps them (stringData folded into data, no generation) and as kubectl
 * describes them (sizes, never values); no secret value ever shows in the command's output.
 */
class SecretsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Values no output may contain, plain and base64. */
  private static final List<String> VALUES = List.of("hunter2-plain", "s3cr3t-from-data", "t0k3n-provisioner",
      "csi-publish-pw", "stale-value");

  @TempDir Path tmp;

  private final List<String> printed = new ArrayList<>();

  /** Runs the command with VOLUMEKIT_DEBUG (stack traces on stderr) and keeps all it printed. */
  private Cli.Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--state", tmp.resolve("state").toString()));
    all.addAll(List.of(args));
    int code = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
        Map.of("VOLUMEKIT_MOUNT_MODE", "symlink", "VOLUMEKIT_DEBUG", "1"), false,
        io.volumekit.cli.engine.EngineClusters.opener());
    Cli.Result r = new Cli.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    printed.add(r.out());
    printed.add(r.err());
    return r;
  }

  private Path file(String yaml) throws IOException {
    Path f = Files.createTempFile(tmp, "m", ".yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void stringDataIsFoldedIntoDataAndNeverReturned() throws IOException {
    Cli.Result applied = run("apply", "-f", file("""
        apiVersion: v1
        kind: Secret
        metadata: {name: creds}
        data: {username: %s, password: %s}
        stringData: {password: hunter2-plain}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {mode: fast}
        """.formatted(b64("admin"), b64("stale-value"))).toString());
    assertThat(applied.code()).as(applied.err()).isZero();
    JsonNode secret = JSON.readTree(run("get", "secret", "creds", "-o", "json").out());
    assertThat(secret.has("stringData")).isFalse();
    assertThat(secret.at("/data/password").asText()).as("stringData wins").isEqualTo(b64("hunter2-plain"));
    assertThat(secret.at("/data/username").asText()).isEqualTo(b64("admin"));
    assertThat(secret.at("/metadata").has("generation")).as("secrets have no generation").isFalse();
    JsonNode cm = JSON.readTree(run("get", "configmap", "settings", "-o", "json").out());
    assertThat(cm.at("/metadata").has("generation")).as("config maps have no generation").isFalse();
    assertThat(run("get", "secret", "creds").out()).contains("creds   Opaque   2 ");
  }

  @Test
  void theEngineFoldsStringDataToo() {
    VolumeKit kit = VolumeKit.builder().deterministic(1).build();
    kit.apply(SecretBuilder.builder().metadata(ObjectMeta.named("default", "s"))
        .stringData(ImmutableMap.of("k", "v")).build());
    kit.apply(ConfigMapBuilder.builder().metadata(ObjectMeta.named("default", "c"))
        .data(ImmutableMap.of("k", "v")).build());
    Secret s = kit.get(Secret.class, "default", "s").orElseThrow();
    assertThat(s.stringData()).isEmpty();
    assertThat(s.data()).containsExactly(Map.entry("k", b64("v")));
    assertThat(s.metadata().generation()).isZero();
    assertThat(kit.get(ConfigMap.class, "default", "c").orElseThrow().metadata().generation()).isZero();
  }

  @Test
  void describeSecretShowsSizesLikeKubectlAndConfigMapItsData() throws IOException {
    run("apply", "-f", file("""
        apiVersion: v1
        kind: Secret
        metadata: {name: creds, labels: {app: db}}
        stringData: {password: hunter2-plain, user: me}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {mode: fast, level: "3"}
        binaryData: {blob: AAEC}
        """).toString());
    assertThat(run("describe", "secret", "creds").out()).isEqualTo("""
        Name:         creds
        Namespace:    default
        Labels:       app=db
        Annotations:  <none>

        Type:  Opaque

        Data
        ====
        password:  13 bytes
        user:      2 bytes
        """);
    assertThat(run("describe", "configmap", "settings").out()).isEqualTo("""
        Name:         settings
        Namespace:    default
        Labels:       <none>
        Annotations:  <none>

        Data
        ====
        level:
        ----
        3

        mode:
        ----
        fast


        BinaryData
        ====
        blob: 3 bytes

        Events:  <none>
        """);
  }

  @Test
  void noSecretValueEverShowsInDescribeEventsOrErrors() throws IOException {
    run("apply", "-f", file("""
        apiVersion: v1
        kind: Secret
        metadata: {name: creds}
        data: {password: %s}
        stringData: {token: t0k3n-provisioner}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: publish}
        stringData: {password: csi-publish-pw}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: secured}
        provisioner: hostpath.csi.volumekit.io
        volumeBindingMode: WaitForFirstConsumer
        parameters:
          csi.storage.k8s.io/provisioner-secret-name: creds
          csi.storage.k8s.io/provisioner-secret-namespace: default
          csi.storage.k8s.io/node-publish-secret-name: publish
          csi.storage.k8s.io/node-publish-secret-namespace: default
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: secured
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          containers: [{name: app, image: busybox, volumeMounts: [{name: d, mountPath: /data}, {name: s, mountPath: /s}]}]
          volumes:
            - {name: d, persistentVolumeClaim: {claimName: data}}
            - {name: s, secret: {secretName: creds}}
        """.formatted(b64("s3cr3t-from-data"))).toString());
    // Refused writes: a bad key, an immutable secret changed, a bad type's missing key.
    run("apply", "-f", file("""
        apiVersion: v1
        kind: Secret
        metadata: {name: bad}
        stringData: {"bad key!": hunter2-plain}
        """).toString());
    run("apply", "-f", file("""
        apiVersion: v1
        kind: Secret
        metadata: {name: frozen}
        immutable: true
        stringData: {password: stale-value}
        """).toString());
    run("apply", "-f", file("""
        apiVersion: v1
        kind: Secret
        metadata: {name: frozen}
        immutable: true
        stringData: {password: hunter2-plain}
        """).toString());
    run("apply", "-f", file("""
        apiVersion: v1
        kind: Secret
        metadata: {name: tls}
        type: kubernetes.io/tls
        stringData: {tls.crt: csi-publish-pw}
        """).toString());
    run("describe", "secrets");
    run("describe", "pods");
    run("describe", "pvc");
    run("describe", "pv");
    run("describe", "sc");
    run("describe", "nodes");
    run("get", "events");
    run("get", "events", "-o", "wide");
    run("get", "secrets");
    run("delete", "pod", "app");
    run("delete", "secret", "creds", "publish", "frozen", "nothing-here");
    assertThat(printed).isNotEmpty();
    for (String text : printed) {
      for (String value : VALUES) {
        assertThat(text).doesNotContain(value).doesNotContain(b64(value));
      }
    }
  }

  @Test
  void deletingASecretInUseLeavesItTerminatingWithAnEventNamingItsUsers() throws IOException {
    run("apply", "-f", file("""
        apiVersion: v1
        kind: Secret
        metadata: {name: creds}
        stringData: {password: hunter2-plain}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: unused}
        stringData: {password: stale-value}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: secured}
        provisioner: hostpath.csi.volumekit.io
        volumeBindingMode: WaitForFirstConsumer
        parameters:
          csi.storage.k8s.io/provisioner-secret-name: creds
          csi.storage.k8s.io/provisioner-secret-namespace: default
        """).toString());
    assertThat(run("delete", "secret", "creds", "unused").out())
        .isEqualTo("secret \"creds\" deleted from default namespace\nsecret \"unused\" deleted from default namespace\n");
    assertThat(run("get", "secret", "unused").err()).contains("NotFound");
    Cli.Result described = run("describe", "secret", "creds");
    assertThat(described.code()).isZero();
    assertThat(described.out())
        .containsPattern("(?m)^Status:\\s+Terminating \\(lasts .+\\)$")
        .containsPattern("(?m)^Finalizers:\\s+\\[volumekit.io/secret-protection\\]$")
        .containsPattern("(?m)^  Normal\\s+SecretInUse\\s+.+\\s+secret-protection\\s+deletion is held by"
            + " volumekit.io/secret-protection until the secret is no longer used; used by StorageClass secured$");
    run("delete", "storageclass", "secured");
    assertThat(run("get", "secret", "creds").err()).contains("NotFound");
    for (String text : printed) {
      for (String value : VALUES) {
        assertThat(text).doesNotContain(value).doesNotContain(b64(value));
      }
    }
  }
}
