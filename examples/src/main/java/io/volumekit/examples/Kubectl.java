package io.volumekit.examples;

import io.volumekit.core.VolumeKit;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.Kinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code kubectl apply -f} does before it sends objects to the API server, for the examples:
 * decode the manifests (strictly: unknown fields are errors) and put namespaced objects that name
 * no namespace into {@code default}.
 *
 * <p>The engine takes objects as the API server stores them, so a namespaced object needs its
 * namespace; kubectl (and the {@code volumekit} command) fill it in from the context.
 */
public final class Kubectl {

  /** The namespace kubectl uses when neither the manifest nor the command line names one. */
  public static final String DEFAULT_NAMESPACE = "default";

  private Kubectl() {}

  /** The objects of one or more YAML or JSON documents, namespaced ones defaulted to {@code default}. */
  public static List<ApiObject> decode(String manifests) {
    List<ApiObject> out = new ArrayList<>();
    for (ApiObject o : ObjectCodec.standard().decode(manifests).objects()) {
      boolean namespaced = Kinds.of(o).namespaced();
      if (namespaced && o.metadata().namespace().orElse("").isEmpty()) {
        o = o.withMetadata(o.metadata().withNamespace(Optional.of(DEFAULT_NAMESPACE)));
      }
      out.add(o);
    }
    return out;
  }

  /** Decodes the manifests and applies each object in order, as {@code kubectl apply -f} does. */
  public static List<ApiObject> apply(VolumeKit kit, String manifests) {
    List<ApiObject> stored = new ArrayList<>();
    for (ApiObject o : decode(manifests)) {
      stored.add(kit.apply(o));
    }
    return stored;
  }
}
