package io.volumekit.model.codec;

import io.volumekit.model.meta.ApiObject;
import org.quicktheories.core.Gen;

/**
 * The model module's object generators ({@code RoundTripPropertiesTest}, in its test jar), made
 * visible to the fabric8 module's properties: same package, so the package-private generators are
 * reused rather than copied.
 */
public final class ModelGenerators {
  private ModelGenerators() {}

  /** Claims with every field the model has, tricky strings and quantities. */
  public static final Gen<ApiObject> CLAIMS = RoundTripPropertiesTest.PVCS;
  /** PersistentVolumes of every volume source. */
  public static final Gen<ApiObject> VOLUMES = RoundTripPropertiesTest.PVS;
  /** Pods with every pod volume source. */
  public static final Gen<ApiObject> PODS = RoundTripPropertiesTest.PODS;
  /** Every other modelled kind. */
  public static final Gen<ApiObject> OTHERS = RoundTripPropertiesTest.OTHERS;
}
