package io.volumekit.core.protection;

import static io.volumekit.core.Fixtures.*;
import static io.volumekit.core.TableCase.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.Scenario;
import io.volumekit.core.TableCase;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Finalizers;
import io.volumekit.core.api.Reasons;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.ProjectedVolumeSourceBuilder;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecretBuilder;
import io.volumekit.model.core.SecretProjectionBuilder;
import io.volumekit.model.core.SecretReference;
import io.volumekit.model.core.SecretVolumeSourceBuilder;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.core.VolumeProjectionBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.StorageClass;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The secret protection (docs/cases/protection.md, "Secret protection"): a Secret the engine would
 * fetch for a volume (for a PV, a class, a claim waiting for provisioning, a running pod) stays
 * Terminating while in use, with an event naming its users.
 */
public class SecretProtectionTableTest {

  /** The value every test secret holds (never to appear in events or traces). */
  public static final String VALUE = "s3cr3t-value";

  public static Secret secret(String name) {
    return SecretBuilder.builder().metadata(ObjectMeta.named(NS, name))
        .stringData(ImmutableMap.of("password", VALUE)).build();
  }

  public static ObjectKey secretKey(String name) {
    return ObjectKey.namespaced(Secret.KIND, NS, name);
  }

  public static boolean hasSecret(Scenario s, String name) {
    return s.kit.get(Secret.class, NS, name).isPresent();
  }

  static Secret getSecret(Scenario s, String name) {
    return s.kit.get(Secret.class, NS, name).orElseThrow();
  }

  public static List<String> secretEvents(Scenario s, String name) {
    return eventTexts(s.kit, secretKey(name));
  }

  static StorageClass withParams(StorageClass sc, Map<String, String> params) {
    return sc.withParameters(ImmutableMap.copyOf(params));
  }

  static PersistentVolume csiPvWith(String name, java.util.function.UnaryOperator<CSIPersistentVolumeSource> refs) {
    PersistentVolume p = csiPv(name, "1Gi", "vol-" + name);
    return p.withSpec(p.spec().withCsi(Optional.of(refs.apply(p.csi().orElseThrow()))));
  }

  static Optional<SecretReference> ref(String name) {
    return Optional.of(new SecretReference(name, Optional.of(NS)));
  }

  static Pod withVolumes(Pod p, Volume... volumes) {
    return p.withSpec(p.spec().withVolumes(ImmutableList.<Volume>builder().addAll(p.spec().volumes()).add(volumes).build()));
  }

  static Volume secretVolume(String name) {
    return VolumeBuilder.builder().name("s-" + name)
        .secret(Optional.of(SecretVolumeSourceBuilder.builder().secretName(Optional.of(name)).build())).build();
  }

  static Volume projectedSecret(String name) {
    return VolumeBuilder.builder().name("p-" + name)
        .projected(Optional.of(ProjectedVolumeSourceBuilder.builder().sources(ImmutableList.of(
            VolumeProjectionBuilder.builder().secret(Optional.of(
                SecretProjectionBuilder.builder().name(Optional.of(name)).build())).build())).build()))
        .build();
  }

  static String pvName(Scenario s, String claim) {
    return "pvc-" + s.uid(claim);
  }

  static Stream<TableCase> cases() {
    return Stream.of(
        row("sp-1 adds the secret-protection finalizer to new secrets",
            s -> s.apply(secret("creds")),
            s -> assertThat(getSecret(s, "creds").metadata().finalizers()).containsExactly(Finalizers.SECRET_PROTECTION)),
        row("sp-1b puts the finalizer back on a live secret that lost it",
            s -> {
              s.apply(secret("creds"));
              s.settle();
              Secret c = getSecret(s, "creds");
              s.writeAsController(c.withMetadata(c.metadata().withFinalizers(ImmutableList.of())));
            },
            s -> assertThat(getSecret(s, "creds").metadata().finalizers()).contains(Finalizers.SECRET_PROTECTION)),
        row("sp-2 removes an unused deleted secret",
            s -> {
              s.apply(secret("creds"));
              s.settle();
              s.delete(secretKey("creds"));
            },
            s -> {
              assertThat(hasSecret(s, "creds")).isFalse();
              assertThat(secretEvents(s, "creds")).isEmpty();
            }),
        row("sp-3 holds a secret a PV names in spec.csi until the PV is gone, naming it in an event",
            s -> {
              s.apply(secret("stage"), secret("publish"),
                  csiPvWith("pv1", c -> c.withNodeStageSecretRef(ref("stage")).withControllerPublishSecretRef(ref("publish"))));
              s.settle();
              s.delete(secretKey("stage"));
              s.delete(secretKey("publish"));
            },
            s -> {
              assertThat(getSecret(s, "stage").metadata().isDeleting()).isTrue();
              assertThat(getSecret(s, "stage").metadata().finalizers()).containsExactly(Finalizers.SECRET_PROTECTION);
              assertThat(secretEvents(s, "stage")).contains(Reasons.SECRET_IN_USE + ": deletion is held by "
                  + Finalizers.SECRET_PROTECTION + " until the secret is no longer used; used by PersistentVolume pv1");
              assertThat(hasSecret(s, "publish")).isTrue();
              s.delete(pvKey("pv1"));
              s.settle();
              assertThat(hasSecret(s, "stage")).isFalse();
              assertThat(hasSecret(s, "publish")).isFalse();
            }),
        row("sp-3b counts every csi secret reference of a PV: node-publish and both expansions",
            s -> {
              s.apply(secret("a"), secret("b"), secret("c"),
                  csiPvWith("pv1", c -> c.withNodePublishSecretRef(ref("a")).withControllerExpandSecretRef(ref("b"))
                      .withNodeExpandSecretRef(ref("c"))));
              s.settle();
              s.delete(secretKey("a"));
              s.delete(secretKey("b"));
              s.delete(secretKey("c"));
            },
            s -> {
              assertThat(hasSecret(s, "a")).isTrue();
              assertThat(hasSecret(s, "b")).isTrue();
              assertThat(hasSecret(s, "c")).isTrue();
            }),
        row("sp-4 keeps a provisioned volume's deletion secret until DeleteVolume has used it",
            s -> {
              s.apply(secret("c1-creds"), withParams(sc("fast"), ImmutableMap.of(
                      "csi.storage.k8s.io/provisioner-secret-name", "${pvc.name}-creds",
                      "csi.storage.k8s.io/provisioner-secret-namespace", "${pvc.namespace}")),
                  withClass(pvc("c1", "1Gi"), "fast"));
              s.settle();
              s.delete(secretKey("c1-creds"));
            },
            s -> {
              String pv = pvName(s, "c1");
              assertThat(s.pv(pv).metadata().annotations()).containsEntry(Annotations.DELETION_SECRET_NAME, "c1-creds");
              assertThat(getSecret(s, "c1-creds").metadata().isDeleting()).isTrue();
              assertThat(secretEvents(s, "c1-creds")).anyMatch(e -> e.endsWith("used by PersistentVolume " + pv));
              s.delete(pvcKey("c1"));
              s.settle();
              assertThat(s.hasPv(pv)).isFalse();
              assertThat(s.driverVolumes()).isEmpty();
              assertThat(s.faults.deletes).extracting(r -> (Map<String, String>) r.secrets().asMap()).containsExactly(Map.of("password", VALUE));
              assertThat(s.pvReasons(pv)).doesNotContain(io.volumekit.core.api.Reasons.VOLUME_FAILED_DELETE);
              assertThat(hasSecret(s, "c1-creds")).isFalse();
            }),
        row("sp-5 holds a secret a class names without a template while the class exists",
            s -> {
              s.apply(secret("creds"), withParams(sc("fast"), ImmutableMap.of(
                  "csi.storage.k8s.io/node-stage-secret-name", "creds",
                  "csi.storage.k8s.io/node-stage-secret-namespace", NS)));
              s.settle();
              s.delete(secretKey("creds"));
            },
            s -> {
              assertThat(secretEvents(s, "creds")).anyMatch(e -> e.endsWith("used by StorageClass fast"));
              s.delete(ObjectKey.cluster(StorageClass.KIND, "fast"));
              s.settle();
              assertThat(hasSecret(s, "creds")).isFalse();
            }),
        row("sp-5b honours the deprecated and fallback parameter spellings",
            s -> {
              s.apply(secret("old"), secret("fallback"), withParams(sc("fast"), ImmutableMap.of(
                  "csiProvisionerSecretName", "old", "csiProvisionerSecretNamespace", NS,
                  "csi.storage.k8s.io/secret-name", "fallback", "csi.storage.k8s.io/secret-namespace", NS)));
              s.settle();
              s.delete(secretKey("old"));
              s.delete(secretKey("fallback"));
            },
            s -> {
              assertThat(hasSecret(s, "old")).isTrue();
              // the fallback pair serves the five operations without their own parameters
              assertThat(secretEvents(s, "fallback")).anyMatch(e -> e.endsWith("used by StorageClass fast"));
            }),
        row("sp-6 holds a templated class secret for a claim waiting for provisioning, not for other claims",
            s -> {
              s.apply(secret("c1-creds"), secret("c2-creds"), wffc(withParams(sc("late"), ImmutableMap.of(
                      "csi.storage.k8s.io/provisioner-secret-name", "${pvc.name}-creds",
                      "csi.storage.k8s.io/provisioner-secret-namespace", "${pvc.namespace}"))),
                  withClass(pvc("c1", "1Gi"), "late"));
              s.settle();
              s.delete(secretKey("c1-creds"));
              s.delete(secretKey("c2-creds"));
            },
            s -> {
              assertThat(hasSecret(s, "c2-creds")).isFalse();
              assertThat(secretEvents(s, "c1-creds")).anyMatch(e -> e.endsWith("used by PersistentVolumeClaim default/c1"));
              s.delete(pvcKey("c1"));
              s.settle();
              assertThat(hasSecret(s, "c1-creds")).isFalse();
            }),
        row("sp-7 holds a secret mounted by a running pod (secret volume and projected source) until the pod is gone",
            s -> {
              s.apply(secret("vol"), secret("proj"), withVolumes(pod("web", "node-1"), secretVolume("vol"), projectedSecret("proj")));
              s.settle();
              s.delete(secretKey("vol"));
              s.delete(secretKey("proj"));
            },
            s -> {
              assertThat(secretEvents(s, "vol")).anyMatch(e -> e.endsWith("used by Pod default/web"));
              assertThat(secretEvents(s, "proj")).anyMatch(e -> e.endsWith("used by Pod default/web"));
              s.delete(podKey("web"));
              s.settle();
              assertThat(hasSecret(s, "vol")).isFalse();
              assertThat(hasSecret(s, "proj")).isFalse();
            }),
        row("sp-7b lets an unscheduled or finished pod not block deletion",
            s -> {
              Pod done = withVolumes(pod("job", "node-1"), secretVolume("b"));
              Pod nowhere = withVolumes(pod("web", ""), secretVolume("a"));
              nowhere = nowhere.withSpec(nowhere.spec().withNodeSelector(ImmutableMap.of("zone", "nowhere")));
              s.apply(secret("a"), secret("b"), nowhere,
                  done.withStatus(done.status().withPhase(Optional.of(PodStatus.SUCCEEDED))));
              s.settle();
              s.delete(secretKey("a"));
              s.delete(secretKey("b"));
            },
            s -> {
              assertThat(s.kit.get(Pod.class, NS, "web").orElseThrow().nodeName()).isEmpty();
              assertThat(hasSecret(s, "a")).isFalse();
              assertThat(hasSecret(s, "b")).isFalse();
            }),
        row("sp-8 names every user, at most five, and never the secret's data",
            s -> {
              s.apply(secret("shared"));
              for (int i = 1; i <= 7; i++) {
                s.apply(csiPvWith("pv" + i, c -> c.withNodeStageSecretRef(ref("shared"))));
              }
              s.settle();
              s.delete(secretKey("shared"));
            },
            s -> {
              assertThat(secretEvents(s, "shared")).anyMatch(e -> e.endsWith(
                  "used by PersistentVolume pv1, PersistentVolume pv2, PersistentVolume pv3, PersistentVolume pv4,"
                      + " PersistentVolume pv5 and 2 more"));
              assertThat(all(s.kit)).noneMatch(e -> e.message().orElse("").contains(VALUE));
              assertThat(s.trace).noneMatch(l -> l.contains(VALUE));
            }),
        row("sp-9 releases a secret when its last user stops naming it (a templated claim annotation changes)",
            s -> {
              s.apply(secret("a-creds"), wffc(withParams(sc("late"), ImmutableMap.of(
                      "csi.storage.k8s.io/provisioner-secret-name", "${pvc.annotations['team']}-creds",
                      "csi.storage.k8s.io/provisioner-secret-namespace", NS))));
              PersistentVolumeClaim c = withClass(pvc("c1", "1Gi"), "late");
              s.apply(c.withMetadata(c.metadata().withAnnotation("team", "a")));
              s.settle();
              s.delete(secretKey("a-creds"));
              s.settle();
              assertThat(hasSecret(s, "a-creds")).isTrue();
              PersistentVolumeClaim stored = s.pvc("c1");
              s.apply(stored.withMetadata(stored.metadata().withAnnotation("team", "b")));
            },
            s -> assertThat(hasSecret(s, "a-creds")).isFalse()));
  }

  static ObjectKey podKey(String name) {
    return ObjectKey.namespaced(Pod.KIND, NS, name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void secretProtection(TableCase c) {
    c.run();
  }
}
