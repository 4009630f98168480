package io.volumekit.model.validation;

import io.volumekit.model.core.NodeSelector;
import io.volumekit.model.core.NodeSelectorRequirement;
import io.volumekit.model.core.NodeSelectorTerm;
import io.volumekit.model.core.Taint;
import io.volumekit.model.core.Toleration;
import io.volumekit.model.core.TopologySelectorTerm;
import io.volumekit.model.meta.LabelSelector;
import io.volumekit.model.meta.LabelSelectorRequirement;
import io.volumekit.model.meta.ObjectMeta;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Metadata, labels, selectors, taints and tolerations (ValidateObjectMeta and friends). */
final class MetaRules {
  private MetaRules() {}

  static final long TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

  static void objectMeta(Errs errs, ObjectMeta meta, boolean namespaced, Function<String, List<String>> nameFn) {
    FieldPath p = FieldPath.root("metadata");
    String generateName = meta.generateName().orElse("");
    if (!generateName.isEmpty()) {
      // A prefix: a trailing '-' is allowed (maskTrailingDash), the server appends random characters.
      String masked = generateName.length() > 1 && generateName.endsWith("-")
          ? generateName.substring(0, generateName.length() - 1) + "a" : generateName;
      errs.each(p.child("generateName"), generateName, nameFn.apply(masked));
    }
    if (meta.name().isEmpty()) {
      if (meta.generateName().orElse("").isEmpty()) {
        errs.required(p.child("name"), "name or generateName is required");
      }
    } else {
      errs.each(p.child("name"), meta.name(), nameFn.apply(meta.name()));
    }
    String ns = meta.namespace().orElse("");
    if (namespaced) {
      if (ns.isEmpty()) {
        errs.required(p.child("namespace"));
      } else {
        errs.each(p.child("namespace"), ns, Names.dns1123Label(ns));
      }
    } else if (!ns.isEmpty()) {
      errs.forbidden(p.child("namespace"), "not allowed on this type");
    }
    if (meta.generation() < 0) {
      errs.invalid(p.child("generation"), meta.generation(), "must be greater than or equal to 0");
    }
    labels(errs, meta.labels(), p.child("labels"));
    annotations(errs, meta.annotations(), p.child("annotations"));
    for (int i = 0; i < meta.finalizers().size(); i++) {
      String f = meta.finalizers().get(i);
      errs.each(p.child("finalizers").index(i), f, Names.qualifiedName(f));
    }
  }

  static void labels(Errs errs, Map<String, String> labels, FieldPath p) {
    for (var e : labels.entrySet()) {
      errs.each(p, e.getKey(), Names.qualifiedName(e.getKey()));
      errs.each(p, e.getValue(), Names.labelValue(e.getValue()));
    }
  }

  static void annotations(Errs errs, Map<String, String> annotations, FieldPath p) {
    long total = 0;
    for (var e : annotations.entrySet()) {
      errs.each(p, e.getKey(), Names.qualifiedName(e.getKey().toLowerCase(Locale.ROOT)));
      total += utf8Length(e.getKey()) + utf8Length(e.getValue());
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
      errs.tooLong(p, TOTAL_ANNOTATION_SIZE_LIMIT);
    }
  }

  /**
   * {@code s.getBytes(UTF_8).length} without encoding a copy: a large annotation (a node's
   * volumes-in-use list) is validated on every write of its object. A lone surrogate counts as the
   * one byte ({@code ?}) the encoder would replace it with.
   */
  static long utf8Length(String s) {
    long n = 0;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  static void labelSelector(Errs errs, LabelSelector s, FieldPath p) {
    for (int i = 0; i < s.matchExpressions().size(); i++) {
      LabelSelectorRequirement r = s.matchExpressions().get(i);
      FieldPath rp = p.child("matchExpressions").index(i);
      switch (r.operator()) {
        case LabelSelectorRequirement.IN, LabelSelectorRequirement.NOT_IN -> {
          if (r.values().isEmpty()) {
            errs.required(rp.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
          }
        }
        case LabelSelectorRequirement.EXISTS, LabelSelectorRequirement.DOES_NOT_EXIST -> {
          if (!r.values().isEmpty()) {
            errs.forbidden(rp.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
          }
        }
        default -> errs.invalid(rp.child("operator"), r.operator(), "not a valid selector operator");
      }
      errs.each(rp.child("key"), r.key(), Names.qualifiedName(r.key()));
      for (String v : r.values()) {
        errs.each(rp.child("values"), v, Names.labelValue(v));
      }
    }
    labels(errs, s.matchLabels(), p.child("matchLabels"));
  }

  static void nodeSelector(Errs errs, NodeSelector s, FieldPath p) {
    if (s.nodeSelectorTerms().isEmpty()) {
      errs.required(p.child("nodeSelectorTerms"), "must have at least one node selector term");
    }
    for (int i = 0; i < s.nodeSelectorTerms().size(); i++) {
      nodeSelectorTerm(errs, s.nodeSelectorTerms().get(i), p.child("nodeSelectorTerms").index(i));
    }
  }

  static void nodeSelectorTerm(Errs errs, NodeSelectorTerm t, FieldPath p) {
    for (int j = 0; j < t.matchExpressions().size(); j++) {
      nodeSelectorRequirement(errs, t.matchExpressions().get(j), p.child("matchExpressions").index(j), true);
    }
    for (int j = 0; j < t.matchFields().size(); j++) {
      NodeSelectorRequirement r = t.matchFields().get(j);
      FieldPath rp = p.child("matchFields").index(j);
      if (!r.key().equals("metadata.name")) {
        errs.notSupported(rp.child("key"), r.key(), List.of("metadata.name"));
      }
      if (!r.operator().equals(NodeSelectorRequirement.IN) && !r.operator().equals(NodeSelectorRequirement.NOT_IN)) {
        errs.notSupported(rp.child("operator"), r.operator(), List.of("In", "NotIn"));
      } else if (r.values().size() != 1) {
        errs.required(rp.child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
      }
    }
  }

  static void nodeSelectorRequirement(Errs errs, NodeSelectorRequirement r, FieldPath p, boolean checkKey) {
    switch (r.operator()) {
      case NodeSelectorRequirement.IN, NodeSelectorRequirement.NOT_IN -> {
        if (r.values().isEmpty()) {
          errs.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
        }
      }
      case NodeSelectorRequirement.EXISTS, NodeSelectorRequirement.DOES_NOT_EXIST -> {
        if (!r.values().isEmpty()) {
          errs.forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
        }
      }
      case NodeSelectorRequirement.GT, NodeSelectorRequirement.LT -> {
        if (r.values().size() != 1) {
          errs.required(p.child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'");
        }
      }
      default -> errs.invalid(p.child("operator"), r.operator(), "not a valid selector operator");
    }
    if (checkKey) {
      errs.each(p.child("key"), r.key(), Names.qualifiedName(r.key()));
    }
  }

  /** A StorageClass's allowedTopologies (validateAllowedTopologies, ValidateTopologySelectorTerm). */
  static void topologyTerms(Errs errs, List<TopologySelectorTerm> terms, FieldPath p) {
    List<Map<String, Set<String>>> seen = new java.util.ArrayList<>();
    for (int i = 0; i < terms.size(); i++) {
      TopologySelectorTerm t = terms.get(i);
      FieldPath ep = p.index(i).child("matchLabelExpressions");
      Map<String, Set<String>> exprs = new java.util.HashMap<>();
      for (int j = 0; j < t.matchLabelExpressions().size(); j++) {
        var r = t.matchLabelExpressions().get(j);
        FieldPath rp = ep.index(j);
        if (r.values().isEmpty()) {
          errs.required(rp.child("values"));
        }
        Set<String> values = new HashSet<>();
        for (int k = 0; k < r.values().size(); k++) {
          if (!values.add(r.values().get(k))) {
            errs.duplicate(rp.child("values").index(k), r.values().get(k));
          }
        }
        errs.each(rp.child("key"), r.key(), Names.qualifiedName(r.key()));
        if (exprs.containsKey(r.key())) {
          errs.duplicate(rp.child("key"), r.key());
        }
        exprs.put(r.key(), values);
      }
      if (seen.contains(exprs)) {
        errs.duplicate(ep, "");
      }
      seen.add(exprs);
    }
  }

  static void taintEffect(Errs errs, String effect, FieldPath p) {
    if (!Taint.EFFECTS.contains(effect)) {
      errs.notSupported(p, effect, Taint.EFFECTS);
    }
  }

  static void tolerations(Errs errs, List<Toleration> tolerations, FieldPath p) {
    for (int i = 0; i < tolerations.size(); i++) {
      Toleration t = tolerations.get(i);
      FieldPath tp = p.index(i);
      String key = t.key().orElse("");
      String op = t.operator().orElse("");
      String effect = t.effect().orElse("");
      if (!key.isEmpty()) {
        errs.each(tp.child("key"), key, Names.qualifiedName(key));
      }
      if (key.isEmpty() && !op.equals(Toleration.EXISTS)) {
        errs.invalid(tp.child("operator"), op,
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
      }
      if (t.tolerationSeconds().isPresent() && !effect.equals(Taint.NO_EXECUTE)) {
        errs.invalid(tp.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
      }
      switch (op) {
        case "", Toleration.EQUAL -> {
          List<String> msgs = Names.labelValue(t.value().orElse(""));
          if (!msgs.isEmpty()) {
            errs.invalid(tp.child("operator"), t.value().orElse(""), String.join(";", msgs));
          }
        }
        case Toleration.EXISTS -> {
          if (!t.value().orElse("").isEmpty()) {
            errs.invalid(tp.child("operator"), t, "value must be empty when `operator` is 'Exists'");
          }
        }
        default -> errs.notSupported(tp.child("operator"), op, List.of("Equal", "Exists"));
      }
      if (!effect.isEmpty()) {
        taintEffect(errs, effect, tp.child("effect"));
      }
    }
  }
}
