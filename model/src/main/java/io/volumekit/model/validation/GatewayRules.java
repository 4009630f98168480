package io.volumekit.model.validation;

import io.volumekit.model.gateway.ReferenceGrant;
import io.volumekit.model.gateway.ReferenceGrantFrom;
import io.volumekit.model.gateway.ReferenceGrantTo;
import java.util.List;

/**
 * gateway.networking.k8s.io kinds. ReferenceGrant is a CRD whose schema requires {@code spec.from}
 * and {@code spec.to} (1 to 16 entries each), {@code kind} and {@code namespace} of each {@code from}
 * and {@code kind} of each {@code to} (the group may be empty: the core group).
 */
final class GatewayRules {
  private GatewayRules() {}

  static final int MAX_ITEMS = 16;

  static void referenceGrant(Errs errs, ReferenceGrant g) {
    FieldPath spec = FieldPath.of("spec");
    items(errs, spec.child("from"), g.spec().from());
    items(errs, spec.child("to"), g.spec().to());
    for (int i = 0; i < g.spec().from().size(); i++) {
      ReferenceGrantFrom f = g.spec().from().get(i);
      FieldPath p = spec.child("from").index(i);
      if (f.kind().isEmpty()) {
        errs.required(p.child("kind"));
      }
      if (f.namespace().isEmpty()) {
        errs.required(p.child("namespace"));
      }
    }
    for (int i = 0; i < g.spec().to().size(); i++) {
      ReferenceGrantTo t = g.spec().to().get(i);
      if (t.kind().isEmpty()) {
        errs.required(spec.child("to").index(i).child("kind"));
      }
    }
  }

  private static void items(Errs errs, FieldPath p, List<?> items) {
    if (items.isEmpty()) {
      errs.required(p);
    } else if (items.size() > MAX_ITEMS) {
      errs.add(FieldError.tooMany(p, items.size(), MAX_ITEMS));
    }
  }
}
