package io.volumekit.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.*;
import io.volumekit.model.meta.*;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.snapshot.*;
import io.volumekit.model.storage.*;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import io.volumekit.model.populator.SourceKind;
import io.volumekit.model.populator.VolumePopulator;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/** Arbitrary objects survive YAML and JSON: decode(encode(x)) equals x, with no warnings. */
class RoundTripPropertiesTest {
  static final ObjectCodec CODEC = ObjectCodec.standard();

  // ------------------------------------------------------------------ leaf generators

  /** Strings that are easy to mis-quote in YAML. */
  static final List<String> TRICKY = List.of("", "a", "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
      "123", "-1", "0x1F", "0o17", "017", "1e3", "1.5", ".inf", "-.inf", ".nan", "1_000", "190:20:30", "2026-01-02",
      "2026-01-02T03:04:05Z", "a: b", "- x", "#c", "x #c", "@at", "`tick", "'single'", "\"double\"", "multi\nline\n",
      "trailing ", " leading", "ünïcödé", "tab\there", "{a}", "[b]", "*star", "&amp", "!bang", "%pct", "|pipe", ">gt",
      "=", "<<", "?", ":", "-", "0", "1Gi", "NaN", "Infinity");

  static <T> T pick(RandomnessSource in, List<T> xs) {
    return Generate.pick(xs).generate(in);
  }

  static int between(RandomnessSource in, int lo, int hi) {
    return Generate.range(lo, hi).generate(in);
  }

  static boolean coin(RandomnessSource in) {
    return Generate.booleans().generate(in);
  }

  static String text(RandomnessSource in) {
    return coin(in) ? pick(in, TRICKY) : pick(in, TRICKY) + between(in, 0, 99) + pick(in, TRICKY);
  }

  static String name(RandomnessSource in) {
    return pick(in, List.of("a", "data", "pv-1", "fast", "x.y", "node-1", "my-claim-0"));
  }

  static <T> Optional<T> opt(RandomnessSource in, Supplier<T> value) {
    return coin(in) ? Optional.empty() : Optional.of(value.get());
  }

  static <T> ImmutableList<T> list(RandomnessSource in, int max, Supplier<T> value) {
    int n = between(in, 0, max);
    ImmutableList.Builder<T> b = ImmutableList.builder();
    for (int i = 0; i < n; i++) {
      b.add(value.get());
    }
    return b.build();
  }

  static <V> ImmutableMap<String, V> map(RandomnessSource in, int max, Supplier<V> value) {
    int n = between(in, 0, max);
    var m = new java.util.LinkedHashMap<String, V>();
    for (int i = 0; i < n; i++) {
      m.put(text(in), value.get());
    }
    return ImmutableMap.copyOf(m);
  }

  static Quantity quantity(RandomnessSource in) {
    return switch (between(in, 0, 3)) {
      case 0 -> Quantity.ofBytes(Generate.longRange(0, 1L << 50).generate(in));
      case 1 -> Quantity.parse(pick(in, List.of("1Gi", "1.5Gi", "100m", "1e3", "0", "+1Ki", "2048Mi", "0.1", "1E-3", "12e6")));
      case 2 -> Quantity.ofDecimal(Generate.longRange(-1_000_000, 1_000_000_000_000L).generate(in));
      default -> Quantity.parse(Generate.longRange(1, 999_999).generate(in) + pick(in, List.of("n", "u", "m", "k", "M", "G", "Ki", "Mi")));
    };
  }

  static Instant instant(RandomnessSource in) {
    return Instant.ofEpochSecond(Generate.longRange(0, 4_000_000_000L).generate(in), coin(in) ? 0 : 123_000_000);
  }

  static ObjectMeta meta(RandomnessSource in, boolean namespaced) {
    return ObjectMetaBuilder.builder()
        .name(name(in))
        .namespace(namespaced ? Optional.of(pick(in, List.of("default", "team-a"))) : Optional.empty())
        .generateName(opt(in, () -> "gen-"))
        .uid(opt(in, () -> "0b8f-" + between(in, 0, 999)))
        .resourceVersion(opt(in, () -> Integer.toString(between(in, 0, 99999))))
        .generation(Generate.longRange(0, 100).generate(in))
        .creationTimestamp(opt(in, () -> instant(in)))
        .deletionTimestamp(opt(in, () -> instant(in)))
        .labels(map(in, 3, () -> text(in)))
        .annotations(map(in, 3, () -> text(in)))
        .finalizers(list(in, 2, () -> pick(in, List.of("kubernetes.io/pvc-protection", "a/b"))))
        .ownerReferences(list(in, 1, () -> new OwnerReference("v1", "Pod", name(in), "uid-1",
            opt(in, () -> coin(in)), opt(in, () -> coin(in)))))
        .build();
  }

  static ObjectReference ref(RandomnessSource in) {
    return ObjectReferenceBuilder.builder().kind(opt(in, () -> "PersistentVolumeClaim")).namespace(opt(in, () -> "default"))
        .name(opt(in, () -> name(in))).uid(opt(in, () -> "u1")).apiVersion(opt(in, () -> "v1"))
        .resourceVersion(opt(in, () -> "7")).fieldPath(opt(in, () -> "spec")).build();
  }

  static LabelSelector selector(RandomnessSource in) {
    return new LabelSelector(map(in, 2, () -> text(in)), list(in, 2, () -> new LabelSelectorRequirement(text(in),
        pick(in, LabelSelectorRequirement.OPERATORS), list(in, 2, () -> text(in)))));
  }

  static NodeSelector nodeSelector(RandomnessSource in) {
    return new NodeSelector(list(in, 2, () -> new NodeSelectorTerm(
        list(in, 2, () -> new NodeSelectorRequirement(text(in), pick(in, NodeSelectorRequirement.OPERATORS), list(in, 2, () -> text(in)))),
        list(in, 1, () -> new NodeSelectorRequirement("metadata.name", "In", ImmutableList.of(name(in)))))));
  }

  static SecretReference secretRef(RandomnessSource in) {
    return new SecretReference(name(in), opt(in, () -> "default"));
  }

  static PersistentVolumeClaimSpec claimSpec(RandomnessSource in) {
    return PersistentVolumeClaimSpecBuilder.builder()
        .accessModes(list(in, 2, () -> pick(in, AccessModes.ALL)))
        .selector(opt(in, () -> selector(in)))
        .resources(new ResourceRequirements(map(in, 1, () -> quantity(in)),
            coin(in) ? ImmutableMap.of("storage", quantity(in)) : ImmutableMap.of()))
        .volumeName(opt(in, () -> name(in)))
        .storageClassName(opt(in, () -> pick(in, List.of("", "fast", "standard"))))
        .volumeMode(opt(in, () -> pick(in, VolumeModes.ALL)))
        .dataSource(opt(in, () -> new TypedLocalObjectReference(opt(in, () -> "snapshot.storage.k8s.io"), "VolumeSnapshot", name(in))))
        .dataSourceRef(opt(in, () -> new TypedObjectReference(opt(in, () -> ""), "PersistentVolumeClaim", name(in), opt(in, () -> "ns"))))
        .volumeAttributesClassName(opt(in, () -> pick(in, List.of("", "gold"))))
        .build();
  }

  // ------------------------------------------------------------------ kinds

  static final Gen<ApiObject> PVCS = in -> PersistentVolumeClaimBuilder.builder()
      .metadata(meta(in, true))
      .spec(claimSpec(in))
      .status(PersistentVolumeClaimStatusBuilder.builder()
          .phase(opt(in, () -> pick(in, List.of("Pending", "Bound", "Lost"))))
          .accessModes(list(in, 2, () -> pick(in, AccessModes.ALL)))
          .capacity(coin(in) ? ImmutableMap.of("storage", quantity(in)) : ImmutableMap.of())
          .conditions(list(in, 2, () -> new PersistentVolumeClaimCondition(pick(in, List.of("Resizing", "ModifyingVolume")),
              pick(in, List.of("True", "False")), opt(in, () -> instant(in)), opt(in, () -> instant(in)),
              opt(in, () -> text(in)), opt(in, () -> text(in)))))
          .allocatedResources(coin(in) ? ImmutableMap.of("storage", quantity(in)) : ImmutableMap.of())
          .allocatedResourceStatuses(coin(in) ? ImmutableMap.of("storage", "NodeResizePending") : ImmutableMap.of())
          .currentVolumeAttributesClassName(opt(in, () -> "gold"))
          .modifyVolumeStatus(opt(in, () -> new ModifyVolumeStatus(opt(in, () -> "gold"), "Pending")))
          .build())
      .build();

  static final Gen<ApiObject> PVS = in -> {
    PersistentVolumeSpecBuilder b = PersistentVolumeSpecBuilder.builder()
        .capacity(ImmutableMap.of("storage", quantity(in)))
        .accessModes(list(in, 3, () -> pick(in, AccessModes.ALL)))
        .claimRef(opt(in, () -> ref(in)))
        .persistentVolumeReclaimPolicy(opt(in, () -> pick(in, ReclaimPolicies.ALL)))
        .storageClassName(pick(in, List.of("", "fast")))
        .mountOptions(list(in, 2, () -> text(in)))
        .volumeMode(opt(in, () -> pick(in, VolumeModes.ALL)))
        .nodeAffinity(opt(in, () -> new VolumeNodeAffinity(opt(in, () -> nodeSelector(in)))))
        .volumeAttributesClassName(opt(in, () -> "gold"));
    switch (between(in, 0, 9)) {
      case 0 -> b.csi(Optional.of(new CSIPersistentVolumeSource(name(in), text(in), opt(in, () -> coin(in)),
          opt(in, () -> "ext4"), map(in, 3, () -> text(in)), opt(in, () -> secretRef(in)), opt(in, () -> secretRef(in)),
          opt(in, () -> secretRef(in)), opt(in, () -> secretRef(in)), opt(in, () -> secretRef(in)))));
      case 1 -> b.hostPath(Optional.of(new HostPathVolumeSource("/tmp/" + name(in), opt(in, () -> "DirectoryOrCreate"))));
      case 2 -> b.nfs(Optional.of(new NFSVolumeSource("nfs.example.com", "/export", opt(in, () -> coin(in)))));
      case 3 -> b.local(Optional.of(new LocalVolumeSource("/mnt/disk", opt(in, () -> "xfs"))));
      case 4 -> b.awsElasticBlockStore(Optional.of(new AWSElasticBlockStoreVolumeSource("vol-1", opt(in, () -> "ext4"),
          opt(in, () -> between(in, 0, 3)), opt(in, () -> coin(in)))));
      case 5 -> b.gcePersistentDisk(Optional.of(new GCEPersistentDiskVolumeSource("pd-1", Optional.empty(), opt(in, () -> 1), Optional.empty())));
      case 6 -> b.azureDisk(Optional.of(new AzureDiskVolumeSource("d", "https://d", opt(in, () -> "ReadOnly"),
          Optional.empty(), Optional.empty(), opt(in, () -> "Managed"))));
      case 7 -> b.azureFile(Optional.of(new AzureFileVolumeSource("s", "share", Optional.empty(), opt(in, () -> "default"))));
      case 8 -> b.cinder(Optional.of(new CinderVolumeSource("v", Optional.empty(), Optional.empty(), opt(in, () -> secretRef(in)))));
      default -> b.vsphereVolume(Optional.of(new VsphereVirtualDiskVolumeSource("[ds] vol.vmdk", Optional.empty(),
          opt(in, () -> "gold"), Optional.empty())));
    }
    return PersistentVolumeBuilder.builder().metadata(meta(in, false)).spec(b.build())
        .status(new PersistentVolumeStatus(opt(in, () -> pick(in, List.of("Available", "Bound", "Released"))),
            opt(in, () -> text(in)), opt(in, () -> text(in)), opt(in, () -> instant(in))))
        .build();
  };

  static KeyToPath keyToPath(RandomnessSource in) {
    return new KeyToPath(text(in), "p/" + name(in), opt(in, () -> between(in, 0, 511)));
  }

  static VolumeSource podSource(RandomnessSource in) {
    return switch (between(in, 0, 12)) {
      case 0 -> new PersistentVolumeClaimVolumeSource(name(in), opt(in, () -> coin(in)));
      case 1 -> new EmptyDirVolumeSource(opt(in, () -> pick(in, List.of("", "Memory"))), opt(in, () -> quantity(in)));
      case 2 -> new SecretVolumeSource(opt(in, () -> name(in)), list(in, 2, () -> keyToPath(in)), opt(in, () -> 420), opt(in, () -> coin(in)));
      case 3 -> new ConfigMapVolumeSource(opt(in, () -> name(in)), list(in, 2, () -> keyToPath(in)), opt(in, () -> 0), opt(in, () -> coin(in)));
      case 4 -> new DownwardAPIVolumeSource(list(in, 2, () -> new DownwardAPIVolumeFile("labels",
          opt(in, () -> new ObjectFieldSelector(opt(in, () -> "v1"), "metadata.labels")),
          opt(in, () -> new ResourceFieldSelector(opt(in, () -> "app"), "limits.memory", opt(in, () -> quantity(in)))),
          opt(in, () -> 292))), opt(in, () -> 420));
      case 5 -> new ProjectedVolumeSource(list(in, 3, () -> new VolumeProjection(
          opt(in, () -> new SecretProjection(opt(in, () -> name(in)), list(in, 1, () -> keyToPath(in)), opt(in, () -> coin(in)))),
          opt(in, () -> new ConfigMapProjection(opt(in, () -> name(in)), list(in, 1, () -> keyToPath(in)), Optional.empty())),
          opt(in, () -> new DownwardAPIProjection(ImmutableList.of())),
          opt(in, () -> new ServiceAccountTokenProjection(opt(in, () -> "vault"), opt(in, () -> 3600L), "token")))),
          opt(in, () -> 420));
      case 6 -> new CSIVolumeSource(name(in), opt(in, () -> coin(in)), opt(in, () -> "ext4"), map(in, 3, () -> text(in)),
          opt(in, () -> new LocalObjectReference(name(in))));
      case 7 -> new EphemeralVolumeSource(opt(in, () -> new PersistentVolumeClaimTemplate(opt(in, () -> meta(in, false)), claimSpec(in))));
      case 8 -> new HostPathVolumeSource("/var/" + name(in), opt(in, () -> pick(in, List.of("", "Directory", "Socket"))));
      case 9 -> new ImageVolumeSource(opt(in, () -> "quay.io/x:1"), opt(in, () -> "IfNotPresent"));
      case 10 -> new NFSVolumeSource("nfs", "/e", Optional.empty());
      case 11 -> new CinderVolumeSource("v", opt(in, () -> "ext4"), opt(in, () -> coin(in)), Optional.empty());
      default -> new AzureFileVolumeSource("s", "share", opt(in, () -> coin(in)), Optional.empty());
    };
  }

  static Container container(RandomnessSource in) {
    return ContainerBuilder.builder().name(name(in)).image(opt(in, () -> "busybox"))
        .command(list(in, 2, () -> text(in))).args(list(in, 2, () -> text(in)))
        .env(list(in, 2, () -> new EnvVar(text(in), opt(in, () -> text(in)), opt(in, () -> new EnvVarSource(Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.of(new SecretKeySelector(opt(in, () -> "s"), "k", Optional.empty())))))))
        .ports(list(in, 1, () -> new ContainerPort(opt(in, () -> "http"), between(in, 1, 65535), opt(in, () -> "TCP"), Optional.empty())))
        .resources(opt(in, () -> new ResourceRequirements(map(in, 1, () -> quantity(in)), map(in, 1, () -> quantity(in)))))
        .volumeMounts(list(in, 2, () -> new VolumeMount(name(in), "/m/" + name(in), opt(in, () -> text(in)),
            opt(in, () -> "$(POD)"), opt(in, () -> coin(in)), opt(in, () -> "HostToContainer"), Optional.empty())))
        .volumeDevices(list(in, 1, () -> new VolumeDevice(name(in), "/dev/xvd" + between(in, 0, 9))))
        .securityContext(opt(in, () -> SecurityContextBuilder.builder()
            .seLinuxOptions(opt(in, () -> new SELinuxOptions(opt(in, () -> "system_u"), Optional.empty(), Optional.empty(),
                opt(in, () -> "s0:c2"))))
            .runAsUser(opt(in, () -> 1000L)).privileged(opt(in, () -> coin(in))).build()))
        .build();
  }

  static Affinity affinity(RandomnessSource in) {
    NodeSelectorTerm empty = new NodeSelectorTerm(ImmutableList.of(), ImmutableList.of());
    NodeAffinity na = new NodeAffinity(opt(in, () -> nodeSelector(in)),
        list(in, 1, () -> new PreferredSchedulingTerm(between(in, 1, 100), empty)));
    return new Affinity(opt(in, () -> na));
  }

  static final Gen<ApiObject> PODS = in -> PodBuilder.builder()
      .metadata(meta(in, true))
      .spec(PodSpecBuilder.builder()
          .volumes(list(in, 4, () -> Volume.of(name(in), podSource(in))))
          .initContainers(list(in, 1, () -> container(in)))
          .containers(list(in, 2, () -> container(in)))
          .restartPolicy(opt(in, () -> "Always"))
          .nodeName(opt(in, () -> name(in)))
          .nodeSelector(map(in, 2, () -> text(in)))
          .affinity(opt(in, () -> affinity(in)))
          .serviceAccountName(opt(in, () -> "default"))
          .securityContext(opt(in, () -> new PodSecurityContext(opt(in, () -> 2000L), opt(in, () -> "OnRootMismatch"),
              opt(in, () -> new SELinuxOptions(Optional.empty(), Optional.empty(), opt(in, () -> "spc_t"), opt(in, () -> "s0:c1"))),
              opt(in, () -> 1000L), Optional.empty(), opt(in, () -> coin(in)), list(in, 2, () -> 3000L),
              opt(in, () -> "Recursive"))))
          .tolerations(list(in, 2, () -> new Toleration(opt(in, () -> text(in)), opt(in, () -> "Exists"), opt(in, () -> text(in)),
              opt(in, () -> "NoExecute"), opt(in, () -> 300L))))
          .build())
      .status(new PodStatus(opt(in, () -> "Running"), list(in, 1, () -> new PodCondition("Ready", "True",
          Optional.empty(), opt(in, () -> instant(in)), Optional.empty(), Optional.empty())),
          opt(in, () -> text(in)), Optional.empty(), opt(in, () -> "10.0.0.1"), Optional.empty(), opt(in, () -> instant(in))))
      .build();

  static final Gen<ApiObject> OTHERS = in -> switch (between(in, 0, 13)) {
    case 0 -> new StorageClass(meta(in, false), name(in), map(in, 3, () -> text(in)), opt(in, () -> pick(in, ReclaimPolicies.ALL)),
        list(in, 2, () -> text(in)), opt(in, () -> coin(in)), opt(in, () -> pick(in, BindingModes.ALL)),
        list(in, 2, () -> new TopologySelectorTerm(list(in, 2, () -> new TopologySelectorLabelRequirement(text(in), list(in, 2, () -> text(in)))))));
    case 1 -> new Secret(meta(in, true), opt(in, () -> "Opaque"), map(in, 3, () -> "aGVsbG8="), map(in, 2, () -> text(in)), opt(in, () -> coin(in)));
    case 2 -> new ConfigMap(meta(in, true), map(in, 3, () -> text(in)), map(in, 1, () -> "AAE="), opt(in, () -> coin(in)));
    case 3 -> new Node(meta(in, false), new NodeSpec(list(in, 2, () -> new Taint(text(in), opt(in, () -> text(in)), "NoSchedule",
        opt(in, () -> instant(in)))), opt(in, () -> coin(in)), opt(in, () -> "aws:///i-1"), Optional.empty()),
        new NodeStatus(map(in, 2, () -> quantity(in)), map(in, 2, () -> quantity(in)), list(in, 2, () -> new NodeCondition("Ready",
            "True", opt(in, () -> instant(in)), opt(in, () -> instant(in)), opt(in, () -> text(in)), Optional.empty())),
            list(in, 1, () -> new NodeAddress("InternalIP", "10.0.0.2")),
            opt(in, () -> new NodeSystemInfo("m", "u", "b", "6.8.0", "Debian", "volumekit://0.1.0", "v1.34.0", "",
                "linux", "amd64"))));
    case 4 -> new Namespace(meta(in, false), new NamespaceSpec(list(in, 1, () -> "kubernetes")), new NamespaceStatus(opt(in, () -> "Active")));
    case 5 -> new Event(meta(in, true), ref(in), opt(in, () -> "ProvisioningSucceeded"), opt(in, () -> text(in)),
        new EventSource(opt(in, () -> "persistentvolume-controller"), Optional.empty()), opt(in, () -> instant(in)),
        opt(in, () -> instant(in)), between(in, 0, 5), opt(in, () -> pick(in, List.of("Normal", "Warning"))));
    case 6 -> new CSIDriver(meta(in, false), new CSIDriverSpec(opt(in, () -> coin(in)), opt(in, () -> coin(in)),
        list(in, 2, () -> pick(in, List.of("Persistent", "Ephemeral"))), opt(in, () -> coin(in)), opt(in, () -> "File"),
        list(in, 1, () -> new TokenRequest("vault", opt(in, () -> 3600L))), opt(in, () -> coin(in)), opt(in, () -> coin(in)),
        opt(in, () -> 60L), opt(in, () -> coin(in)), opt(in, () -> coin(in))));
    case 7 -> new CSINode(meta(in, false), new CSINodeSpec(list(in, 2, () -> new CSINodeDriver(name(in), text(in),
        list(in, 2, () -> "topology.kubernetes.io/zone"), opt(in, () -> new VolumeNodeResources(opt(in, () -> between(in, 0, 100))))))));
    case 8 -> new VolumeAttachment(meta(in, false), new VolumeAttachmentSpec(name(in),
        coin(in) ? new VolumeAttachmentSource(opt(in, () -> name(in)), Optional.empty())
            // an inline migrated volume: the translated PV spec
            : new VolumeAttachmentSource(Optional.empty(), Optional.of(((PersistentVolume) PVS.generate(in)).spec())),
        name(in)),
        new VolumeAttachmentStatus(coin(in), map(in, 2, () -> text(in)), opt(in, () -> new VolumeError(opt(in, () -> instant(in)),
            opt(in, () -> text(in)), opt(in, () -> 14))), Optional.empty()));
    case 9 -> new CSIStorageCapacity(meta(in, true), opt(in, () -> selector(in)), name(in), opt(in, () -> quantity(in)), opt(in, () -> quantity(in)));
    case 10 -> new VolumeSnapshot(meta(in, true), new VolumeSnapshotSpec(new VolumeSnapshotSource(opt(in, () -> name(in)),
        opt(in, () -> name(in))), opt(in, () -> "csi-snapclass")), new VolumeSnapshotStatus(opt(in, () -> name(in)),
        opt(in, () -> instant(in)), opt(in, () -> coin(in)), opt(in, () -> quantity(in)),
        opt(in, () -> new VolumeSnapshotError(opt(in, () -> instant(in)), opt(in, () -> text(in)))), Optional.empty()));
    case 11 -> new VolumePopulator(meta(in, false), new SourceKind(pick(in, List.of("", "hello.example.com")), name(in)));
    case 12 -> new io.volumekit.model.gateway.ReferenceGrant(meta(in, true), new io.volumekit.model.gateway.ReferenceGrantSpec(
        list(in, 2, () -> new io.volumekit.model.gateway.ReferenceGrantFrom("", "PersistentVolumeClaim", name(in))),
        list(in, 2, () -> new io.volumekit.model.gateway.ReferenceGrantTo(pick(in, List.of("", "snapshot.storage.k8s.io")),
            name(in), opt(in, () -> name(in))))));
    default -> coin(in)
        ? new VolumeSnapshotContent(meta(in, false), new VolumeSnapshotContentSpec(ref(in), "Delete", name(in), opt(in, () -> "c"),
            new VolumeSnapshotContentSource(opt(in, () -> "h"), opt(in, () -> "s")), opt(in, () -> "Filesystem")),
            new VolumeSnapshotContentStatus(opt(in, () -> "s"), opt(in, () -> 1_700_000_000_000_000_000L),
                opt(in, () -> 1L << 30), opt(in, () -> coin(in)), Optional.empty(), Optional.empty()))
        : new VolumeSnapshotClass(meta(in, false), name(in), map(in, 2, () -> text(in)), pick(in, List.of("Delete", "Retain")));
  };

  static void assertRoundTrips(ApiObject o) {
    DecodeResult viaYaml = CODEC.decode(CODEC.encodeYaml(o));
    assertThat(viaYaml.warnings()).isEmpty();
    assertThat(viaYaml.single()).isEqualTo(o);
    DecodeResult viaJson = CODEC.decode(CODEC.encodeJson(o));
    assertThat(viaJson.warnings()).isEmpty();
    assertThat(viaJson.single()).isEqualTo(o);
  }

  @Test
  void claimsRoundTripThroughYamlAndJson() {
    qt().withExamples(300).forAll(PVCS).checkAssert(RoundTripPropertiesTest::assertRoundTrips);
  }

  @Test
  void volumesRoundTripThroughYamlAndJson() {
    qt().withExamples(300).forAll(PVS).checkAssert(RoundTripPropertiesTest::assertRoundTrips);
  }

  @Test
  void podsRoundTripThroughYamlAndJson() {
    qt().withExamples(200).forAll(PODS).checkAssert(RoundTripPropertiesTest::assertRoundTrips);
  }

  @Test
  void everyOtherKindRoundTripsThroughYamlAndJson() {
    qt().withExamples(400).forAll(OTHERS).checkAssert(RoundTripPropertiesTest::assertRoundTrips);
  }
}
