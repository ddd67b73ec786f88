package io.aura.cli.ripser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.tda.DistanceMatrix;
import io.aura.tda.PointCloud;
import io.aura.tda.SparseDistanceMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RipserReaderTest {

    static RipserInput read(InputFormat f, String text) {
        return RipserReader.read(f, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static RipserInput.Dense dense(InputFormat f, String text) {
        return (RipserInput.Dense) read(f, text);
    }

    static float[] range(RipserInput.Dense d) {
        return Arrays.copyOf(d.rangeValues(), d.rangeCount());
    }

    static PointCloud points(String text) {
        return ((RipserInput.Points) read(InputFormat.POINT_CLOUD, text)).cloud();
    }

    @Test
    void lowerStreamWithAnySeparators() {
        RipserInput.Dense d = dense(InputFormat.LOWER_DISTANCE, "1,2\n3");
        assertThat(d.matrix().lowerTriangle()).containsExactly(1f, 2f, 3f);
        assertThat(dense(InputFormat.LOWER_DISTANCE, "1, 2, 3,\r\n").matrix().lowerTriangle()).containsExactly(1f, 2f, 3f);
        assertThat(dense(InputFormat.LOWER_DISTANCE, "1;2.5E-1\n+3.0").matrix().lowerTriangle())
                .containsExactly(1f, 0.25f, 3f);
        // one separator after a number: "1-2" is 1 then 2, "1.2.3" is 1.2 then 3, "0x10" is 0 then 10
        assertThat(dense(InputFormat.LOWER_DISTANCE, "1-2 3").matrix().lowerTriangle()).containsExactly(1f, 2f, 3f);
        assertThat(dense(InputFormat.LOWER_DISTANCE, "1.2.3 4").matrix().lowerTriangle()).containsExactly(1.2f, 3f, 4f);
        assertThat(dense(InputFormat.LOWER_DISTANCE, "0x10 4").matrix().lowerTriangle()).containsExactly(0f, 10f, 4f);
    }

    @Test
    void nonTriangularCountKeepsTheTailForTheValueRange() {
        RipserInput.Dense d = dense(InputFormat.LOWER_DISTANCE, "1 2 3 4");
        assertThat(d.matrix().size()).isEqualTo(3);
        assertThat(range(d)).containsExactly(1f, 2f, 3f, 4f);
        RipserInput.Dense e = dense(InputFormat.LOWER_DISTANCE, "1 2 3 4 5 6 7 0.5");
        assertThat(e.matrix().size()).isEqualTo(4);
        assertThat(range(e)).hasSize(8);
    }

    @Test
    void upperStreamIsPdistOrderAndRangeIsTheMatrix() {
        // d(0,1)=5 d(0,2)=2 d(0,3)=3 d(1,2)=0.5 d(1,3)=9 d(2,3)=8, 7th value dangles
        RipserInput.Dense d = dense(InputFormat.UPPER_DISTANCE, "5 2 3 0.5 9 8 0.25");
        DistanceMatrix m = d.matrix();
        assertThat(m.size()).isEqualTo(4);
        assertThat(m.get(1, 0)).isEqualTo(5f);
        assertThat(m.get(2, 1)).isEqualTo(0.5f);
        assertThat(m.get(3, 2)).isEqualTo(8f);
        assertThat(range(d)).containsExactly(5f, 2f, 0.5f, 3f, 9f, 8f);
    }

    @Test
    void distanceLinesContributeTheirFirstIValues() {
        RipserInput.Dense d = dense(InputFormat.DISTANCE, "0,1,2\n1,0,3\n2,3,0\n");
        assertThat(d.matrix().lowerTriangle()).containsExactly(1f, 2f, 3f);
        // CRLF: the '\r' is the separator or trailing white space
        assertThat(dense(InputFormat.DISTANCE, "0,1,2\r\n1,0,3\r\n2,3,0\r\n").matrix().lowerTriangle())
                .containsExactly(1f, 2f, 3f);
        // lower part only, and text after the first i values is ignored
        assertThat(dense(InputFormat.DISTANCE, "\n1\n2 3 junk\n").matrix().lowerTriangle()).containsExactly(1f, 2f, 3f);
        // every line counts, also an empty first line (which shifts the rows, as in Ripser)
        assertThat(dense(InputFormat.DISTANCE, "\n0\n1 0\n2 3 0\n").matrix().lowerTriangle())
                .containsExactly(0f, 1f, 0f, 2f, 3f, 0f);
    }

    @Test
    void pointCloudSkipsHeaderAndBlankLinesAndAcceptsCrlf() {
        PointCloud p = points("x,y\n0,0\r\n\n1, 0,\r\n0 1\n\n");
        assertThat(p.size()).isEqualTo(3);
        assertThat(p.dimension()).isEqualTo(2);
        assertThat(p.point(1)).containsExactly(1f, 0f);
        assertThat(points("# comment 1 2\n3 4\n").size()).isEqualTo(1);
    }

    @Test
    void sparseTriplets() {
        SparseDistanceMatrix s = ((RipserInput.Sparse) read(InputFormat.SPARSE, "0 1 1\r\n1,2,5\n\n3 3 7\n2 0 0.5 extra\n")).matrix();
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.edgeCount()).isEqualTo(3);
        assertThat(s.get(1, 2)).isEqualTo(5f);
        assertThat(s.get(0, 2)).isEqualTo(0.5f);
    }

    static byte[] dipha(long magic, long type, long n, double... values) {
        ByteBuffer b = ByteBuffer.allocate(24 + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(magic).putLong(type).putLong(n);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    @Test
    void diphaUsesTheStrictLowerTriangle() {
        byte[] data = dipha(8067171840L, 7, 3, 0, 9, 9, 1, 0, 9, 2, 3, 0);
        RipserInput.Dense d = (RipserInput.Dense) RipserReader.read(InputFormat.DIPHA, data);
        assertThat(d.matrix().lowerTriangle()).containsExactly(1f, 2f, 3f);
        assertThatThrownBy(() -> RipserReader.read(InputFormat.DIPHA, dipha(1, 7, 1, 0)))
                .isInstanceOf(RipserDataException.class).hasMessage("input is not a Dipha file (magic number: 8067171840)");
        assertThatThrownBy(() -> RipserReader.read(InputFormat.DIPHA, dipha(8067171840L, 6, 1, 0)))
                .hasMessage("input is not a Dipha distance matrix (file type: 7)");
        assertThatThrownBy(() -> RipserReader.read(InputFormat.DIPHA, dipha(8067171840L, 7, 3, 0, 1)))
                .hasMessageContaining("2 of the 9 values");
        assertThatThrownBy(() -> RipserReader.read(InputFormat.DIPHA, dipha(8067171840L, 7, 2, 0, 0, -1, 0)))
                .hasMessageContaining("entry (1,0)");
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    @Test
    void binaryAppendsTheZeroRipserReadsAtEndOfFile() {
        RipserInput.Dense d = (RipserInput.Dense) RipserReader.read(InputFormat.BINARY, floats(1, 2, 3));
        assertThat(d.matrix().lowerTriangle()).containsExactly(1f, 2f, 3f);
        assertThat(range(d)).containsExactly(1f, 2f, 3f, 0f);
        // two floats + the extra 0 make three values: a 3-point matrix with d(2,1) = 0
        RipserInput.Dense two = (RipserInput.Dense) RipserReader.read(InputFormat.BINARY, floats(1, 2));
        assertThat(two.matrix().lowerTriangle()).containsExactly(1f, 2f, 0f);
        assertThatThrownBy(() -> RipserReader.read(InputFormat.BINARY, new byte[6])).hasMessageContaining("6 bytes");
        assertThatThrownBy(() -> RipserReader.read(InputFormat.BINARY, floats(1, Float.NaN))).hasMessageContaining("value 1");
    }

    @Test
    void errorsSayWhatAndWhere() {
        assertThatThrownBy(() -> read(InputFormat.LOWER_DISTANCE, "")).isInstanceOf(RipserDataException.class)
                .hasMessage("the input contains no numbers");
        assertThatThrownBy(() -> read(InputFormat.LOWER_DISTANCE, " \n\r\n")).hasMessage("the input contains no numbers");
        assertThatThrownBy(() -> read(InputFormat.LOWER_DISTANCE, "1 2\n3 x"))
                .hasMessage("expected a number at line 2, column 3 but found 'x'");
        assertThatThrownBy(() -> read(InputFormat.LOWER_DISTANCE, "1,,2")).hasMessageContaining("line 1, column 3");
        assertThatThrownBy(() -> read(InputFormat.LOWER_DISTANCE, "1 inf 3")).hasMessageContaining("'inf'");
        assertThatThrownBy(() -> read(InputFormat.LOWER_DISTANCE, "1 1e 3")).hasMessageContaining("'1e'");
        assertThatThrownBy(() -> read(InputFormat.LOWER_DISTANCE, "1 1e40 3"))
                .hasMessage("number 1e40 at line 1, column 3 is outside the float range");
        assertThatThrownBy(() -> read(InputFormat.UPPER_DISTANCE, "1 -2 3"))
                .hasMessage("negative distance -2 at line 1, column 3; distances must be >= 0");
        assertThatThrownBy(() -> read(InputFormat.DISTANCE, "0\n1 0\nx 1 0\n")).hasMessageContaining("line 3, column 1");
        assertThatThrownBy(() -> read(InputFormat.DISTANCE, "0 1 2\n")).hasMessageStartingWith("no distances below the diagonal: with --format distance");
        assertThatThrownBy(() -> read(InputFormat.POINT_CLOUD, "0 0\n1 0 3\n"))
                .hasMessage("line 2 has 3 coordinates but line 1 (the first point) has 2; all points need the same dimension");
        assertThatThrownBy(() -> read(InputFormat.POINT_CLOUD, "0 0\n1 abc\n"))
                .hasMessage("expected a number at line 2, column 3 but found 'abc'");
        assertThatThrownBy(() -> read(InputFormat.POINT_CLOUD, "x y\n")).hasMessageContaining("no points");
        assertThatThrownBy(() -> read(InputFormat.POINT_CLOUD, "1e39 0\n")).hasMessageContaining("outside the float range");
        assertThatThrownBy(() -> read(InputFormat.POINT_CLOUD, "1e39,0\n")).hasMessage("number 1e39 at line 1, column 1 is outside the float range");
        assertThatThrownBy(() -> read(InputFormat.SPARSE, "0 1\n")).hasMessageContaining("expected a distance");
        assertThatThrownBy(() -> read(InputFormat.SPARSE, "0 -1 2\n")).hasMessageContaining("vertex index -1");
        assertThatThrownBy(() -> read(InputFormat.SPARSE, "a 1 2\n")).hasMessageContaining("expected a vertex index i");
        assertThatThrownBy(() -> read(InputFormat.SPARSE, "\n\n")).hasMessageContaining("no entries");
        assertThatThrownBy(() -> read(InputFormat.SPARSE, "0 1 -1\n")).hasMessageContaining("negative distance");
    }
}
