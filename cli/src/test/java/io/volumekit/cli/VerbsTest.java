package io.volumekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each verb run through the picocli entry point with real captured output, on a real state directory. */
class VerbsTest {

  @TempDir Path tmp;

  private Cli cli;

  static String manifest(String name) {
    return Path.of("src/test/resources/manifests", name).toString();
  }

  @BeforeEach
  void setUp() {
    cli = new Cli(tmp.resolve("state"));
  }

  private Cli.Result ok(String... args) {
    Cli.Result r = cli.run(args);
    assertThat(r.code()).as("exit code of %s; stderr: %s", String.join(" ", args), r.err()).isZero();
    return r;
  }


  @Test
  void applyCreatesThenReportsUnchangedThenConfigured() throws IOException {
    assertThat(ok("apply", "-f", manifest("immediate.yaml")).out())
        .isEqualTo("storageclass.storage.k8s.io/fast created\npersistentvolumeclaim/data created\n");
    assertThat(ok("apply", "-f", manifest("immediate.yaml")).out())
        .isEqualTo("storageclass.storage.k8s.io/fast unchanged\npersistentvolumeclaim/data unchanged\n");
    String changed = Files.readString(Path.of(manifest("immediate.yaml"))).replace("name: data", "name: data\n  labels:\n    app: db\n  annotations:\n    note: x");
    assertThat(cli.runWithInput(changed, "apply", "-f", "-").out())
        .isEqualTo("storageclass.storage.k8s.io/fast unchanged\npersistentvolumeclaim/data configured\n");
    assertThat(ok("get", "pvc", "data", "-o", "yaml").out()).contains("    app: db\n");
    // Applying the first manifest again removes what only the second one had, and keeps what controllers set.
    assertThat(ok("apply", "-f", manifest("immediate.yaml")).out()).contains("persistentvolumeclaim/data configured\n");
    String yaml = ok("get", "pvc", "data", "-o", "yaml").out();
    assertThat(yaml).doesNotContain("app: db").doesNotContain("note: x").contains("  volumeName: pvc-").contains("  phase: Bound\n");
  }

  @Test
  void applyProvisionsAndBindsBeforeReturning() {
    ok("apply", "-f", manifest("immediate.yaml"));
    Cli.Result pvc = ok("get", "pvc");
    assertThat(pvc.out()).startsWith(
        "NAME   STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n"
            + "data   Bound    pvc-");
    assertThat(pvc.out()).contains("   2Gi        RWO            fast           <unset>                 ");
    Cli.Result pv = ok("get", "pv", "-o", "name");
    assertThat(pv.out()).startsWith("persistentvolume/pvc-").hasLineCount(1);
  }

  @Test
  void noSettleLeavesTheClaimPendingUntilSettle() {
    ok("apply", "-f", manifest("immediate.yaml"), "--no-settle");
    assertThat(ok("get", "pvc", "data").out()).contains("data   Pending");
    assertThat(ok("settle").out()).isEmpty();
    assertThat(ok("get", "pvc", "data").out()).contains("data   Bound");
  }

  @Test
  void podRunsOnTheNodeOnceItsProvisionedVolumeIsMounted() throws IOException {
    assertThat(ok("apply", "-f", manifest("mysql.yaml")).out())
        .isEqualTo("persistentvolumeclaim/mysql-pvc created\npod/mysql created\n");
    assertThat(ok("get", "pods", "-o", "wide").out()).matches(
        "NAME    READY   STATUS    RESTARTS   AGE +IP       NODE     NOMINATED NODE   READINESS GATES\n"
            + "mysql   0/1     Running   0          \\d+s +<none>   node-1   <none>           <none>\n");
    assertThat(ok("get", "pvc", "mysql-pvc").out()).contains("mysql-pvc   Bound    pvc-");
    assertThat(ok("get", "volumeattachments").out()).contains("hostpath.csi.volumekit.io   pvc-").contains("node-1   true");
    assertThat(ok("describe", "pod", "mysql").out()).contains("Node:         node-1/\n", "Status:       Running\n",
        "  Normal  Scheduled ", "Successfully assigned default/mysql to node-1");
    Path target;
    try (var paths = Files.walk(tmp.resolve("state/kubelet/pods"))) {
      target = paths.filter(p -> p.getFileName().toString().equals("mount")).findFirst().orElseThrow();
    }
    Files.writeString(target.resolve("hello"), "data"); // the pod's volume is the hostpath volume's directory
    try (var volumes = Files.list(tmp.resolve("state/csi/hostpath/node-1/volumes"))) {
      assertThat(volumes.findFirst().orElseThrow().resolve("hello")).hasContent("data");
    }
    // The next invocations know what is mounted: deleting the pod unpublishes, deleting the claim deletes the volume.
    assertThat(ok("delete", "pod", "mysql").out()).isEqualTo("pod \"mysql\" deleted from default namespace\n");
    assertThat(ok("get", "pods").err()).isEqualTo("No resources found in default namespace.\n");
    assertThat(Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("unpublished").isFalse();
    assertThat(ok("get", "pvc", "mysql-pvc").out()).contains("mysql-pvc   Bound    pvc-");
    ok("delete", "pvc", "mysql-pvc");
    assertThat(hostpathVolumes()).isZero();
  }

  @Test
  void getPrintsEachOutputFormat() {
    ok("apply", "-f", manifest("immediate.yaml"));
    assertThat(ok("get", "sc", "fast", "-o", "json").out()).startsWith("{\n    \"apiVersion\": \"storage.k8s.io/v1\",\n")
        .contains("\"provisioner\": \"hostpath.csi.volumekit.io\"");
    assertThat(ok("get", "sc", "-o", "json").out()).startsWith("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n")
        .endsWith("    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n");
    assertThat(ok("get", "sc/fast", "-o", "yaml").out()).startsWith("apiVersion: storage.k8s.io/v1\nkind: StorageClass\n")
        .contains("  name: fast\n").contains("provisioner: hostpath.csi.volumekit.io\n");
    assertThat(ok("get", "sc", "-o", "name").out())
        .isEqualTo("storageclass.storage.k8s.io/fast\nstorageclass.storage.k8s.io/standard\n");
    assertThat(ok("get", "pvc", "-o", "wide").out().lines().findFirst().orElseThrow()).endsWith("AGE   VOLUMEMODE");
    assertThat(ok("get", "pvc", "-A").out()).startsWith("NAMESPACE   NAME   STATUS");
    assertThat(ok("get", "pvc", "-A", "--no-headers").out()).startsWith("default   data   Bound   pvc-");
  }

  @Test
  void severalKindsGetOneTableEachWithKindPrefixedNames() {
    ok("apply", "-f", manifest("immediate.yaml"));
    String out = ok("get", "sc,pvc").out();
    assertThat(out).contains("storageclass.storage.k8s.io/fast ", "storageclass.storage.k8s.io/standard (default)",
        "\n\nNAME                         STATUS", "persistentvolumeclaim/data   Bound");
  }

  @Test
  void emptyResultsSayNoResourcesFoundOnStderr() {
    Cli.Result namespaced = ok("get", "pvc");
    assertThat(namespaced.out()).isEmpty();
    assertThat(namespaced.err()).isEqualTo("No resources found in default namespace.\n");
    assertThat(ok("get", "pvc", "-n", "other").err()).isEqualTo("No resources found in other namespace.\n");
    assertThat(ok("get", "pv").err()).isEqualTo("No resources found\n");
    assertThat(ok("get", "pvc", "-A").err()).isEqualTo("No resources found\n");
    Cli.Result json = ok("get", "pvc", "-o", "json");
    assertThat(json.err()).isEmpty();
    assertThat(json.out()).contains("\"items\": []");
    assertThat(ok("get", "pvc", "-o", "name").out()).isEmpty();
  }

  @Test
  void missingObjectsAreNotFoundAfterTheFoundOnesArePrinted() {
    ok("apply", "-f", manifest("immediate.yaml"));
    Cli.Result r = cli.run("get", "pvc", "data", "nope", "-o", "name");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("persistentvolumeclaim/data\n");
    assertThat(r.err()).isEqualTo("Error from server (NotFound): persistentvolumeclaims \"nope\" not found\n");
    Cli.Result sc = cli.run("describe", "sc", "nope");
    assertThat(sc.code()).isEqualTo(1);
    assertThat(sc.err()).isEqualTo("Error from server (NotFound): storageclasses.storage.k8s.io \"nope\" not found\n");
    assertThat(ok("get", "pvc", "nope", "--ignore-not-found").err()).isEmpty();
  }

  @Test
  void describeShowsFieldsAndEvents() {
    ok("apply", "-f", manifest("immediate.yaml"));
    String out = ok("describe", "pvc", "data").out();
    assertThat(out).startsWith("Name:          data\nNamespace:     default\nStorageClass:  fast\nStatus:        Bound\n")
        .contains("Finalizers:    [kubernetes.io/pvc-protection]\nCapacity:      2Gi\nAccess Modes:  RWO\n")
        .contains("Events:\n  Type    Reason ")
        .contains("ProvisioningSucceeded");
    Cli.Result slash = cli.run("describe", "pvc/da"); // only KIND NAME matches prefixes
    assertThat(slash.code()).isEqualTo(1);
    assertThat(slash.err()).isEqualTo("Error from server (NotFound): persistentvolumeclaims \"da\" not found\n");
  }

  @Test
  void describeMatchesNamePrefixesLikeKubectl() {
    ok("apply", "-f", manifest("immediate.yaml"));
    assertThat(ok("describe", "sc", "fa").out()).startsWith("Name:            fast\nIsDefaultClass:  No\n");
    assertThat(ok("describe", "sc").out()).startsWith("Name:            fast\n")
        .contains("Events:                <none>\n\n\nName:                  standard\nIsDefaultClass:        Yes\n");
  }

  @Test
  void aClaimInUseStaysTerminatingUntilItsPodIsGone() {
    ok("apply", "-f", manifest("mysql.yaml"));
    assertThat(ok("delete", "pvc", "mysql-pvc").out()).isEqualTo("persistentvolumeclaim \"mysql-pvc\" deleted from default namespace\n");
    assertThat(ok("get", "pvc", "mysql-pvc").out()).contains("mysql-pvc   Terminating   pvc-");
    assertThat(ok("describe", "pvc", "mysql-pvc").out()).containsPattern("Status:        Terminating \\(lasts \\d+s\\)\n")
        .contains("Used By:       mysql\n");
    ok("delete", "pod", "mysql");
    assertThat(ok("get", "pvc,pv").err()).isEqualTo("No resources found in default namespace.\n");
  }

  @Test
  void readingChangesNothing() throws IOException {
    ok("apply", "-f", manifest("mysql.yaml"));
    Path objects = tmp.resolve("state/objects.json");
    byte[] before = Files.readAllBytes(objects);
    ok("get", "pv,pvc,pods,events", "-o", "yaml");
    ok("describe", "pvc", "mysql-pvc");
    assertThat(Files.readAllBytes(objects)).isEqualTo(before);
  }

  @Test
  void eventsAreListed() {
    ok("apply", "-f", manifest("immediate.yaml"));
    String events = ok("get", "events").out();
    assertThat(events).startsWith("LAST SEEN   TYPE     REASON ")
        .contains("ProvisioningSucceeded   persistentvolumeclaim/data ");
  }

  private long hostpathVolumes() throws IOException {
    try (var dirs = Files.list(tmp.resolve("state/csi/hostpath/node-1/volumes"))) {
      return dirs.count();
    }
  }

  @Test
  void deleteRemovesTheClaimAndItsDynamicVolume() throws IOException {
    ok("apply", "-f", manifest("immediate.yaml"));
    assertThat(hostpathVolumes()).as("the hostpath driver keeps the volume's data under the state").isEqualTo(1);
    assertThat(ok("delete", "pvc", "data").out()).isEqualTo("persistentvolumeclaim \"data\" deleted from default namespace\n");
    assertThat(ok("get", "pv").err()).isEqualTo("No resources found\n");
    assertThat(hostpathVolumes()).isZero();
    assertThat(ok("delete", "storageclass/fast").out()).isEqualTo("storageclass.storage.k8s.io \"fast\" deleted\n");
  }

  @Test
  void deleteByFileAndMissingObjects() {
    ok("apply", "-f", manifest("immediate.yaml"));
    assertThat(ok("delete", "-f", manifest("immediate.yaml")).out()).isEqualTo(
        "storageclass.storage.k8s.io \"fast\" deleted\npersistentvolumeclaim \"data\" deleted from default namespace\n");
    Cli.Result again = cli.run("delete", "-f", manifest("immediate.yaml"));
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("Error from server (NotFound): storageclasses.storage.k8s.io \"fast\" not found\n"
        + "Error from server (NotFound): persistentvolumeclaims \"data\" not found\n");
    assertThat(ok("delete", "pvc", "data", "--ignore-not-found").out()).isEmpty();
  }

  @Test
  void aRefusedDeleteChangesNothing() {
    ok("apply", "-f", manifest("immediate.yaml"));
    Cli.Result r = cli.run("delete", "pvc", "data", "missing");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(ok("get", "pvc", "data").out()).contains("Bound");
  }

  @Test
  void unknownKindsAndUsageErrors() {
    Cli.Result unknown = cli.run("get", "foo");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("error: the server doesn't have a resource type \"foo\"\n");
    Cli.Result noKind = cli.run("get");
    assertThat(noKind.code()).isEqualTo(2);
    assertThat(noKind.err()).startsWith("error: You must specify the type of resource to get.");
    Cli.Result badFormat = cli.run("get", "pvc", "-o", "table");
    assertThat(badFormat.code()).isEqualTo(2);
    Cli.Result badFlag = cli.run("get", "pvc", "--frobnicate");
    assertThat(badFlag.code()).isEqualTo(2);
    assertThat(badFlag.err()).startsWith("error: Unknown option: '--frobnicate'");
    Cli.Result noVerb = cli.run();
    assertThat(noVerb.code()).isEqualTo(2);
    Cli.Result unknownVerb = cli.run("frobnicate");
    assertThat(unknownVerb.code()).isEqualTo(2);
    assertThat(unknownVerb.err()).startsWith("error: unknown command \"frobnicate\" for \"volumekit\"\n");
    Cli.Result deleteNoName = cli.run("delete", "pvc");
    assertThat(deleteNoName.code()).isEqualTo(2);
    assertThat(deleteNoName.err()).startsWith("error: resource(s) were provided, but no name was specified");
    assertThat(cli.run("apply").code()).isEqualTo(2);
    assertThat(cli.run("get", "pvc", "x", "-A").code()).isEqualTo(2);
    assertThat(cli.run("--csi", "bogus", "get", "pvc").code()).isEqualTo(2);
  }

  @Test
  void applyOfUnknownKindOrEmptyFileIsRefusedAndChangesNothing() throws IOException {
    Path crd = tmp.resolve("foo.yaml");
    Files.writeString(crd, "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: x\n---\n"
        + Files.readString(Path.of(manifest("immediate.yaml"))));
    Cli.Result r = cli.run("apply", "-f", crd.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("error: resource mapping not found for name: \"x\" namespace: \"\" from \"" + crd
        + "\": no matches for kind \"Foo\" in version \"example.com/v1\"\nensure CRDs are installed first\n");
    assertThat(ok("get", "pvc").err()).isEqualTo("No resources found in default namespace.\n");
    Path empty = tmp.resolve("empty.yaml");
    Files.writeString(empty, "# nothing\n");
    Cli.Result none = cli.run("apply", "-f", empty.toString());
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).isEqualTo("error: no objects passed to apply\n");
  }

  @Test
  void invalidObjectsAreRefusedWithTheApiServersWordsAndChangeNothing() throws IOException {
    Cli.Result r = cli.run("apply", "-f", manifest("immediate.yaml"), "-f", manifest("invalid-pvc.yaml"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo(
        "The PersistentVolumeClaim \"x\" is invalid: spec.accessModes: Required value: at least 1 access mode is required\n");
    assertThat(ok("get", "sc", "fast", "--ignore-not-found").out()).as("nothing applied").isEmpty();

    ok("apply", "-f", manifest("immediate.yaml"));
    String shrunk = Files.readString(Path.of(manifest("immediate.yaml")))
        .replace("storageClassName: fast", "storageClassName: other");
    Cli.Result update = cli.runWithInput(shrunk, "apply", "-f", "-");
    assertThat(update.code()).isEqualTo(1);
    assertThat(update.err()).startsWith("The PersistentVolumeClaim \"data\" is invalid: spec: Forbidden: spec is immutable");
    assertThat(ok("get", "pvc", "data", "-o", "yaml").out()).contains("storageClassName: fast");
  }

  @Test
  void unknownFieldsAreRefusedStrictly() throws IOException {
    Path bad = tmp.resolve("pvc.yaml");
    Files.writeString(bad, Files.readString(Path.of(manifest("immediate.yaml"))).replace("  storageClassName: fast",
        "  storageClassName: fast\n  foo: bar"));
    Cli.Result r = cli.run("apply", "-f", bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Error from server (BadRequest): error when creating \"" + bad
        + "\": PersistentVolumeClaim in version \"v1\" cannot be handled as a PersistentVolumeClaim: strict decoding"
        + " error: unknown field \"spec.foo\"\n");
    assertThat(ok("get", "sc", "fast", "--ignore-not-found").out()).isEmpty();
  }

  @Test
  void namespaceFlagAndManifestNamespaceMustAgree() throws IOException {
    ok("apply", "-f", manifest("immediate.yaml"), "-n", "team-a");
    assertThat(ok("get", "pvc", "-n", "team-a").out()).contains("data   Bound");
    Path other = tmp.resolve("ns.yaml");
    Files.writeString(other, Files.readString(Path.of(manifest("immediate.yaml"))).replace("  name: data", "  name: data\n  namespace: b"));
    Cli.Result r = cli.run("apply", "-f", other.toString(), "-n", "a");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: the namespace from the provided object \"b\" does not match the namespace \"a\". "
        + "You must pass '--namespace=b' to perform this operation.\n");
  }

  @Test
  void globalOptionsGoBeforeOrAfterTheVerb() {
    Path other = tmp.resolve("other");
    Cli bare = new Cli(tmp.resolve("unused"));
    assertThat(bare.run("get", "sc", "--state", other.toString(), "--bare", "-o", "name").out()).isEmpty();
    assertThat(Files.exists(other.resolve("objects.json"))).isTrue();
    assertThat(Files.exists(tmp.resolve("unused/objects.json"))).isFalse();
  }
}
