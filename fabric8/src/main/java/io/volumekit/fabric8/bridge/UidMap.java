package io.volumekit.fabric8.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.BiMap;
import com.google.common.collect.HashBiMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The engine's uid of each mirrored object and the API server's: both assign their own on create,
 * and references between objects (a PV's {@code claimRef.uid}, {@code ownerReferences[].uid}, an
 * Event's {@code involvedObject.uid}) must name the uid of the side they are written to.
 *
 * <p>Only used on the bridge's thread.
 */
final class UidMap {
  private final BiMap<String, String> engineToServer = HashBiMap.create();

  void put(String engineUid, String serverUid) {
    if (!engineUid.isEmpty() && !serverUid.isEmpty()) {
      engineToServer.forcePut(engineUid, serverUid);
    }
  }

  void removeEngine(String engineUid) {
    engineToServer.remove(engineUid);
  }

  /** Rewrites every {@code uid} field below the top-level metadata from engine to server uids. */
  void toServer(ObjectNode tree) {
    rewrite(tree, engineToServer, true);
  }

  /** Rewrites every {@code uid} field below the top-level metadata from server to engine uids. */
  void toEngine(ObjectNode tree) {
    rewrite(tree, engineToServer.inverse(), true);
  }

  int size() {
    return engineToServer.size();
  }

  private static void rewrite(JsonNode node, Map<String, String> map, boolean top) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (top && e.getKey().equals("metadata") && e.getValue() instanceof ObjectNode m) {
          // The object's own uid is the side's own; its owner references are not.
          JsonNode owners = m.get("ownerReferences");
          if (owners != null) {
            rewrite(owners, map, false);
          }
          continue;
        }
        if (e.getKey().equals("uid") && e.getValue().isTextual()) {
          String mapped = map.get(e.getValue().asText());
          if (mapped != null) {
            o.put("uid", mapped);
          }
        } else {
          rewrite(e.getValue(), map, false);
        }
      }
    } else if (node != null && node.isArray()) {
      for (JsonNode child : node) {
        rewrite(child, map, false);
      }
    }
  }
}
