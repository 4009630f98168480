package io.volumekit.cli.print;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TabWriterTest {

  @Test
  void padsColumnsToWidestCellPlusThreeAndLeavesLastColumnUnpadded() {
    String out = TabWriter.table().format("NAME\tSTATUS\tAGE\ndata\tBound\t5m3s\nscratch\tPending\t45s\n");
    assertThat(out).isEqualTo(
        "NAME      STATUS    AGE\n"
            + "data      Bound     5m3s\n"
            + "scratch   Pending   45s\n");
  }

  @Test
  void appliesMinimumWidthOfSix() {
    assertThat(TabWriter.table().format("A\tB\nx\ty\n")).isEqualTo("A     B\nx     y\n");
  }

  @Test
  void emptyLastCellLeavesTrailingPaddingOnlyThroughThePreviousColumn() {
    assertThat(TabWriter.table().format("NAME\tX\na\t\n")).isEqualTo("NAME   X\na      \n");
  }

  @Test
  void aLineWithoutTabEndsTheAlignmentBlock() {
    String out = TabWriter.describe().format("Name:\tdata\nSource:\n    Type:\tCSI\n    VolumeHandle:\tabc\n");
    assertThat(out).isEqualTo(
        "Name:  data\n"
            + "Source:\n"
            + "    Type:          CSI\n"
            + "    VolumeHandle:  abc\n");
  }

  @Test
  void continuationLinesAlignUnderTheFirstValue() {
    String out = TabWriter.describe().format("Labels:\ta=b\n\tc=d\nFinalizers:\t[]\n");
    assertThat(out).isEqualTo(
        "Labels:      a=b\n"
            + "             c=d\n"
            + "Finalizers:  []\n");
  }

  @Test
  void emptyInputGivesEmptyOutput() {
    assertThat(TabWriter.table().format("")).isEmpty();
  }
}
