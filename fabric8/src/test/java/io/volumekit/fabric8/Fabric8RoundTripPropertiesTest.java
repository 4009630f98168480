package io.volumekit.fabric8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.volumekit.model.codec.ModelGenerators;
import io.volumekit.model.meta.ApiObject;
import org.junit.jupiter.api.Test;

/**
 * Generated objects of every modelled kind survive volumekit -> fabric8 -> volumekit unchanged, and
 * neither direction reports a dropped field (fabric8's model holds everything volumekit's does).
 */
class Fabric8RoundTripPropertiesTest {

  static void roundTrips(ApiObject original) {
    Conversion<HasMetadata> out = Fabric8.toFabric8(original);
    assertThat(out.unmappedFields()).as("dropped by fabric8").isEmpty();
    assertThat(out.value().getKind()).isEqualTo(original.kind());
    Conversion<ApiObject> back = Fabric8.toVolumekit(out.value());
    assertThat(back.unmappedFields()).as("dropped by volumekit").isEmpty();
    assertThat(back.value()).isEqualTo(original);

    Conversion<GenericKubernetesResource> generic = Fabric8.toGeneric(original);
    assertThat(generic.unmappedFields()).isEmpty();
    assertThat(Fabric8.toVolumekit(generic.value()).orThrow()).isEqualTo(original);
  }

  @Test
  void claimsRoundTrip() {
    qt().withExamples(300).forAll(ModelGenerators.CLAIMS).checkAssert(Fabric8RoundTripPropertiesTest::roundTrips);
  }

  @Test
  void volumesRoundTrip() {
    qt().withExamples(300).forAll(ModelGenerators.VOLUMES).checkAssert(Fabric8RoundTripPropertiesTest::roundTrips);
  }

  @Test
  void podsRoundTrip() {
    qt().withExamples(200).forAll(ModelGenerators.PODS).checkAssert(Fabric8RoundTripPropertiesTest::roundTrips);
  }

  @Test
  void everyOtherKindRoundTrips() {
    qt().withExamples(400).forAll(ModelGenerators.OTHERS).checkAssert(Fabric8RoundTripPropertiesTest::roundTrips);
  }
}
