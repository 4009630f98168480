package io.volumekit.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ApplyMergeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode obj(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
  }

  @Test
  void recordsTheManifestInTheLastAppliedAnnotation() throws Exception {
    ObjectNode desired = ApplyMerge.withLastApplied(obj("{'kind':'PersistentVolumeClaim','metadata':{'name':'a'}}"));
    assertThat(desired.path("metadata").path("annotations").path(ApplyMerge.LAST_APPLIED).asText())
        .isEqualTo("{\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"a\"}}\n");
  }

  @Test
  void keepsControllerFieldsAndRemovesFieldsDroppedFromTheManifest() throws Exception {
    ObjectNode first = ApplyMerge.withLastApplied(obj(
        "{'kind':'PersistentVolumeClaim','metadata':{'name':'a','labels':{'x':'1','y':'2'}},'spec':{'storageClassName':'s'}}"));
    ObjectNode live = first.deepCopy();
    live.with("metadata").put("uid", "u1").put("resourceVersion", "5");
    live.with("spec").put("volumeName", "pv-1");
    live.putObject("status").put("phase", "Bound");

    ObjectNode second = ApplyMerge.withLastApplied(obj(
        "{'kind':'PersistentVolumeClaim','metadata':{'name':'a','labels':{'x':'3'}},'spec':{'storageClassName':'s'}}"));
    ObjectNode merged = ApplyMerge.merge(live, second);

    assertThat(merged.path("metadata").path("labels").toString()).isEqualTo("{\"x\":\"3\"}");
    assertThat(merged.path("metadata").path("uid").asText()).isEqualTo("u1");
    assertThat(merged.path("spec").path("volumeName").asText()).isEqualTo("pv-1");
    assertThat(merged.path("status").path("phase").asText()).isEqualTo("Bound");
  }

  @Test
  void reapplyingTheSameManifestChangesNothing() throws Exception {
    ObjectNode desired = ApplyMerge.withLastApplied(obj("{'kind':'Pod','metadata':{'name':'p'},'spec':{'nodeName':'n'}}"));
    ObjectNode live = desired.deepCopy();
    live.with("metadata").put("resourceVersion", "9");
    assertThat(ApplyMerge.merge(live, desired)).isEqualTo(live);
  }

  /** Applies {@code first}, lets {@code others} change the live object, then applies {@code second}. */
  private static ObjectNode applyTwice(String first, java.util.function.Consumer<ObjectNode> others, String second)
      throws Exception {
    ObjectNode live = ApplyMerge.withLastApplied(obj(first));
    others.accept(live);
    ObjectNode merged = ApplyMerge.merge(live, ApplyMerge.withLastApplied(obj(second)));
    merged.with("metadata").remove("annotations");
    return merged;
  }

  private static ObjectNode spec(ObjectNode o) {
    return (ObjectNode) o.get("spec");
  }

  private static String compact(Object json) {
    return json.toString();
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("listMerges")
  void mergesListsByTheirStrategicMergeKey(String title, String first, java.util.function.Consumer<ObjectNode> others,
      String second, String expectedSpec) throws Exception {
    assertThat(compact(applyTwice(first, others, second).get("spec"))).isEqualTo(obj(expectedSpec).toString());
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> listMerges() {
    java.util.function.Consumer<ObjectNode> nobody = o -> { };
    return java.util.stream.Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("containers by name: others' container and defaults kept, dropped one removed",
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'app','image':'a:1'},{'name':'side','image':'s:1'}]}}",
            (java.util.function.Consumer<ObjectNode>) live -> {
              ((ObjectNode) spec(live).withArray("containers").get(0)).put("terminationMessagePath", "/dev/termination-log");
              spec(live).withArray("containers").addObject().put("name", "injected").put("image", "mesh:1");
            },
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'app','image':'a:2'}]}}",
            "{'containers':[{'name':'app','image':'a:2','terminationMessagePath':'/dev/termination-log'},"
                + "{'name':'injected','image':'mesh:1'}]}"),
        org.junit.jupiter.params.provider.Arguments.of("env by name",
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'app','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]}}",
            (java.util.function.Consumer<ObjectNode>) live -> ((ObjectNode) spec(live).withArray("containers").get(0))
                .withArray("env").addObject().put("name", "C").put("value", "3"),
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'app','env':[{'name':'A','value':'9'}]}]}}",
            "{'containers':[{'name':'app','env':[{'name':'A','value':'9'},{'name':'C','value':'3'}]}]}"),
        org.junit.jupiter.params.provider.Arguments.of("volumes by name and volumeMounts by mountPath",
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'app','volumeMounts':[{'name':'data','mountPath':'/data'},"
                + "{'name':'cache','mountPath':'/cache'}]}],'volumes':[{'name':'data','persistentVolumeClaim':{'claimName':'c'}},"
                + "{'name':'cache','emptyDir':{}}]}}",
            (java.util.function.Consumer<ObjectNode>) live -> {
              ((ObjectNode) spec(live).withArray("containers").get(0)).withArray("volumeMounts").addObject()
                  .put("name", "token").put("mountPath", "/var/run/secrets").put("readOnly", true);
              spec(live).withArray("volumes").addObject().put("name", "token").putObject("projected");
            },
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'app','volumeMounts':[{'name':'data','mountPath':'/data','readOnly':true}]}],"
                + "'volumes':[{'name':'data','persistentVolumeClaim':{'claimName':'c'}}]}}",
            "{'containers':[{'name':'app','volumeMounts':[{'name':'data','mountPath':'/data','readOnly':true},"
                + "{'name':'token','mountPath':'/var/run/secrets','readOnly':true}]}],"
                + "'volumes':[{'name':'data','persistentVolumeClaim':{'claimName':'c'}},{'name':'token','projected':{}}]}"),
        org.junit.jupiter.params.provider.Arguments.of("ports by containerPort",
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'app','ports':[{'containerPort':80},{'containerPort':443}]}]}}",
            (java.util.function.Consumer<ObjectNode>) live -> ((ObjectNode) spec(live).withArray("containers").get(0))
                .withArray("ports").addObject().put("containerPort", 9090).put("name", "metrics"),
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'app','ports':[{'containerPort':80,'name':'http'},{'containerPort':8080}]}]}}",
            "{'containers':[{'name':'app','ports':[{'containerPort':80,'name':'http'},{'containerPort':8080},"
                + "{'containerPort':9090,'name':'metrics'}]}]}"),
        org.junit.jupiter.params.provider.Arguments.of("others' element placed by its live position, manifest order kept",
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
            (java.util.function.Consumer<ObjectNode>) live -> spec(live).withArray("containers").insertObject(0).put("name", "x"),
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'b'},{'name':'a'},{'name':'c'}]}}",
            "{'containers':[{'name':'x'},{'name':'b'},{'name':'a'},{'name':'c'}]}"),
        org.junit.jupiter.params.provider.Arguments.of("a list without a merge key is replaced whole",
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'tolerations':[{'key':'a','operator':'Exists'}]}}",
            (java.util.function.Consumer<ObjectNode>) live -> spec(live).withArray("tolerations").addObject().put("key", "b"),
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'tolerations':[{'key':'c','operator':'Exists'}]}}",
            "{'tolerations':[{'key':'c','operator':'Exists'}]}"),
        org.junit.jupiter.params.provider.Arguments.of("elements without their key: the list is replaced whole",
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a'}]}}",
            (java.util.function.Consumer<ObjectNode>) live -> spec(live).withArray("containers").addObject().put("image", "x"),
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'b'}]}}",
            "{'containers':[{'name':'b'}]}"),
        org.junit.jupiter.params.provider.Arguments.of("a list dropped from the manifest goes whole, others' elements too",
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a','env':[{'name':'A','value':'1'}]}]}}",
            (java.util.function.Consumer<ObjectNode>) live -> ((ObjectNode) spec(live).withArray("containers").get(0))
                .withArray("env").addObject().put("name", "C"),
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a'}]}}",
            "{'containers':[{'name':'a'}]}"),
        org.junit.jupiter.params.provider.Arguments.of("reapplying the same manifest keeps everything",
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a','env':[{'name':'A','value':'1'}]}]}}",
            nobody,
            "{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a','env':[{'name':'A','value':'1'}]}]}}",
            "{'containers':[{'name':'a','env':[{'name':'A','value':'1'}]}]}"));
  }

  @Test
  void withoutALastAppliedManifestNothingIsRemoved() throws Exception {
    ObjectNode live = obj("{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a'},{'name':'b'}]}}");
    ObjectNode merged = ApplyMerge.merge(live, ApplyMerge.withLastApplied(
        obj("{'kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'b','image':'x'}]}}")));
    assertThat(merged.path("spec").toString()).isEqualTo(obj("{'containers':[{'name':'a'},{'name':'b','image':'x'}]}").toString());
  }
}
