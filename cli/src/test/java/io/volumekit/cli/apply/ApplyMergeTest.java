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
}
