package io.volumekit.cli.print;

import static io.volumekit.cli.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.volumekit.cli.kind.KindRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class ObjectFormatsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void jsonSortsKeysAtEveryDepthWithFourSpaceIndent() {
    JsonNode o = obj("{'kind':'PersistentVolumeClaim','apiVersion':'v1','metadata':{'name':'a<b','annotations':{}},"
        + "'spec':{'accessModes':['ReadWriteOnce'],'resources':{'requests':{'storage':'1Gi'}}}}");
    assertThat(GoJson.write(o)).isEqualTo("""
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {
                "annotations": {},
                "name": "a\\u003cb"
            },
            "spec": {
                "accessModes": [
                    "ReadWriteOnce"
                ],
                "resources": {
                    "requests": {
                        "storage": "1Gi"
                    }
                }
            }
        }
        """);
  }

  @Test
  void emptyListIsTheFourKeyWrapper() {
    String json = OutputFormat.JSON.render(List.of(), false, KindRegistry.STANDARD);
    assertThat(json).isEqualTo("""
        {
            "apiVersion": "v1",
            "items": [],
            "kind": "List",
            "metadata": {
                "resourceVersion": ""
            }
        }
        """);
    assertThat(OutputFormat.YAML.render(List.of(), false, KindRegistry.STANDARD)).isEqualTo("""
        apiVersion: v1
        items: []
        kind: List
        metadata:
          resourceVersion: ""
        """);
  }

  @Test
  void yamlQuotesStringsThatReadAsOtherTypesAndKeepsSequencesAtParentIndent() {
    JsonNode o = obj("{'metadata':{'resourceVersion':'1234','creationTimestamp':'2026-01-02T03:04:05Z','name':'data',"
        + "'annotations':{'a':'true','b':'','c':'yes','d':'x: y','e':'2Gi','f':'1e3','g':'#x','h':'line1\\nline2\\n'}},"
        + "'spec':{'accessModes':['ReadWriteOnce'],'containers':[{'name':'c','ports':[{'containerPort':80}]}]}}");
    assertThat(GoYaml.write(o)).isEqualTo("""
        metadata:
          annotations:
            a: "true"
            b: ""
            c: "yes"
            d: 'x: y'
            e: 2Gi
            f: "1e3"
            g: '#x'
            h: |
              line1
              line2
          creationTimestamp: "2026-01-02T03:04:05Z"
          name: data
          resourceVersion: "1234"
        spec:
          accessModes:
          - ReadWriteOnce
          containers:
          - name: c
            ports:
            - containerPort: 80
        """);
  }

  @Test
  void longValuesFoldAtEightyColumnsLikeGoYaml() {
    String words = String.join(" ", java.util.Collections.nCopies(30, "word"));
    String yaml = GoYaml.write(obj("{'m':'" + words + "','q':'x: " + words + "','l':['" + words + "']}"));
    String first = String.join(" ", java.util.Collections.nCopies(16, "word"));
    String rest = String.join(" ", java.util.Collections.nCopies(14, "word"));
    assertThat(yaml).startsWith("l:\n- " + first + "\n  " + rest + "\nm: " + first + "\n  " + rest + "\nq: 'x: ");
  }

  /** Outputs of go-yaml v2 (which kubectl's sigs.k8s.io/yaml uses) quoted in go-yaml issues #348 and mirrorbits #153. */
  @Test
  void foldsWhereGoYamlFolds() {
    String a79 = "a".repeat(79);
    assertThat(GoYaml.write(obj("{'key':['" + a79 + " bbb']}"))).isEqualTo("key:\n- " + a79 + "\n  bbb\n");
    assertThat(GoYaml.write(obj("{'SponsorName':'Computer Center, Department of Computer Science, National Yang Ming"
        + " Chiao Tung University'}"))).isEqualTo("SponsorName: Computer Center, Department of Computer Science,"
        + " National Yang Ming Chiao\n  Tung University\n");
  }

  @Test
  void nameFormatQualifiesNonCoreGroups() {
    List<JsonNode> objects = List.of(
        obj("{'apiVersion':'v1','kind':'PersistentVolumeClaim','metadata':{'name':'data'}}"),
        obj("{'apiVersion':'storage.k8s.io/v1','kind':'StorageClass','metadata':{'name':'fast'}}"),
        obj("{'apiVersion':'snapshot.storage.k8s.io/v1','kind':'VolumeSnapshot','metadata':{'name':'s'}}"));
    assertThat(OutputFormat.NAME.render(objects, false, KindRegistry.STANDARD)).isEqualTo(
        "persistentvolumeclaim/data\nstorageclass.storage.k8s.io/fast\nvolumesnapshot.snapshot.storage.k8s.io/s\n");
  }

  @Test
  void singleObjectOnlyWhenOneWasNamed() {
    JsonNode pvc = obj("{'apiVersion':'v1','kind':'PersistentVolumeClaim','metadata':{'name':'data'}}");
    assertThat(OutputFormat.JSON.render(List.of(pvc), true, KindRegistry.STANDARD)).doesNotContain("\"List\"");
    assertThat(OutputFormat.JSON.render(List.of(pvc), false, KindRegistry.STANDARD)).contains("\"kind\": \"List\"");
  }

  @Test
  void unknownOutputFormatIsAUsageError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputFormat.parse(Optional.of("table")))
        .hasMessageContaining("unable to match a printer suitable for the output format \"table\"");
  }

  private static Gen<String> texts() {
    String alphabet = "ab0129 :#-'\"\\\n\t.yesnoYNtrue~{}[]&*!|>%@`,?eE+_<>";
    return lists().of(integers().between(0, alphabet.length() - 1)).ofSizeBetween(0, 12)
        .mix(lists().of(integers().between(0, alphabet.length() - 1)).ofSizeBetween(70, 200), 20)
        .map(ix -> {
          StringBuilder s = new StringBuilder();
          ix.forEach(i -> s.append(alphabet.charAt(i)));
          return s.toString();
        });
  }

  /** Whatever the strings, the YAML we print reads back as the same tree (kubectl's output is valid YAML). */
  @Test
  void yamlReadsBackAsTheSameTree() {
    qt().forAll(lists().of(texts()).ofSizeBetween(1, 6), texts()).checkAssert((values, key) -> {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      ObjectNode map = root.putObject("m");
      for (int i = 0; i < values.size(); i++) {
        map.put(key + i, values.get(i));
      }
      root.putArray("l").add(values.get(0)).addObject().put("k", values.get(values.size() - 1));
      root.put("n", 5).put("b", true);
      try {
        assertThat(YAML.readTree(GoYaml.write(root))).isEqualTo(root);
        assertThat(JSON.readTree(GoJson.write(root))).isEqualTo(root);
      } catch (Exception e) {
        throw new AssertionError(GoYaml.write(root), e);
      }
    });
  }
}
