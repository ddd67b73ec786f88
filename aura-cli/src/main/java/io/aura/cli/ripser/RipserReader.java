package io.aura.cli.ripser;

import io.aura.cli.ripser.CTextScanner.Status;
import io.aura.tda.DistanceMatrix;
import io.aura.tda.PointCloud;
import io.aura.tda.SparseDistanceMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the seven Ripser input formats the way Ripser 1.2.1 does (see {@link CTextScanner} for
 * number syntax: after each number exactly one character, the separator, is skipped), but rejects
 * input on which Ripser's behaviour is undefined or silently wrong, with a message that says
 * where: no values at all, a token that is not a number where one must be, a number outside the
 * float range, a negative (or NaN) distance, ragged point-cloud rows, a truncated binary file.
 *
 * <p>Kept from Ripser: CR before LF is white space (CRLF files read like LF files); a point-cloud
 * line whose first token is not a number is a skipped header line; in the {@code distance} format
 * line i (0-based) contributes its first i values and the rest of the line is ignored; a value
 * count m that is not triangular gives n = floor((1 + sqrt(1 + 8m)) / 2) points, and the tail of
 * a lower-triangular stream still counts for the value range and entry count; the binary reader
 * appends a 0 at the end of the file; sparse lines with i = j are ignored and the text after the
 * third field is ignored.
 */
public final class RipserReader {
    /** Largest vertex index accepted in the sparse format. */
    static final long MAX_SPARSE_INDEX = (1L << 27) - 1;
    private static final long DIPHA_MAGIC = 8067171840L;
    private static final long DIPHA_DISTANCE_MATRIX = 7;

    private RipserReader() {
    }

    /** Reads {@code data[0, size)} in {@code format}. */
    public static RipserInput read(InputFormat format, byte[] data, int size) {
        return switch (format) {
            case LOWER_DISTANCE -> lower(readStream(data, size));
            case UPPER_DISTANCE -> upper(readStream(data, size));
            case DISTANCE -> lower(readDistanceLines(data, size));
            case POINT_CLOUD -> new RipserInput.Points(readPointCloud(data, size));
            case DIPHA -> readDipha(data, size);
            case BINARY -> readBinary(data, size);
            case SPARSE -> new RipserInput.Sparse(readSparse(data, size));
        };
    }

    public static RipserInput read(InputFormat format, byte[] data) {
        return read(format, data, data.length);
    }

    /** A growable float array. */
    static final class FloatList {
        float[] a = new float[1024];
        int n;

        void add(float v) {
            if (n == a.length) {
                if (n >= Integer.MAX_VALUE - 16) {
                    throw new RipserDataException("too many values (more than " + n + ")");
                }
                a = Arrays.copyOf(a, (int) Math.min(Integer.MAX_VALUE - 16L, 2L * n));
            }
            a[n++] = v;
        }
    }

    /** The matrix is the first n(n-1)/2 values; the value range covers all m values. */
    private static RipserInput lower(FloatList values) {
        int n = DistanceMatrix.sizeForLowerLength(values.n);
        int t = (int) ((long) n * (n - 1) / 2);
        DistanceMatrix m = DistanceMatrix.ofLowerTriangle(Arrays.copyOf(values.a, t));
        return new RipserInput.Dense(m, values.a, values.n);
    }

    private static RipserInput upper(FloatList values) {
        int n = DistanceMatrix.sizeForLowerLength(values.n);
        int t = (int) ((long) n * (n - 1) / 2);
        float[] lower = new float[t];
        int p = 0;
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                // upper entry (j, i), j < i, sits at j(n-2) - j(j-1)/2 + i - 1 in pdist order
                lower[p++] = values.a[(int) ((long) j * (n - 2) - (long) j * (j - 1) / 2 + i - 1)];
            }
        }
        return new RipserInput.Dense(DistanceMatrix.ofLowerTriangle(lower), lower, t);
    }

    private static void checkDistance(CTextScanner s, float v) {
        if (v < 0) {
            throw new RipserDataException("negative distance " + s.token() + " at " + s.where(s.tokenStart)
                    + "; distances must be >= 0");
        }
    }

    private static RipserDataException notANumber(CTextScanner s, String what) {
        return new RipserDataException("expected " + what + " at " + s.where(s.tokenStart) + " but found '"
                + s.token() + "'");
    }

    private static RipserDataException outOfRange(CTextScanner s) {
        String t = s.token();
        int cut = 0;
        while (cut < t.length() && ",;:\t ".indexOf(t.charAt(cut)) < 0) { // the number, not the separator after it
            cut++;
        }
        return new RipserDataException("number " + t.substring(0, cut) + " at " + s.where(s.tokenStart)
                + " is outside the float range");
    }

    private static float number(CTextScanner s, String what) {
        Status st = s.readFloat();
        if (st == Status.NOT_A_NUMBER) {
            throw notANumber(s, what);
        }
        if (st == Status.OUT_OF_RANGE) {
            throw outOfRange(s);
        }
        return s.floatValue;
    }

    private static RipserDataException noValues() {
        return new RipserDataException("the input contains no numbers");
    }

    /** lower-distance and upper-distance: a flat stream of numbers, any separators. */
    static FloatList readStream(byte[] data, int size) {
        CTextScanner s = new CTextScanner(data, size);
        FloatList values = new FloatList();
        while (s.skipSpace()) {
            float v = number(s, "a number");
            checkDistance(s, v);
            values.add(v);
            s.ignoreOne();
        }
        if (values.n == 0) {
            throw noValues();
        }
        return values;
    }

    /** distance: line i contributes its first i values. */
    static FloatList readDistanceLines(byte[] data, int size) {
        CTextScanner s = new CTextScanner(data, size);
        FloatList values = new FloatList();
        int from = 0;
        for (long i = 0; s.line(from); i++) {
            for (long j = 0; j < i && s.skipSpace(); j++) {
                float v = number(s, "a number");
                checkDistance(s, v);
                values.add(v);
                s.ignoreOne();
            }
            from = s.nextLineStart();
        }
        if (values.n == 0) {
            for (int k = 0; k < size; k++) {
                if (!Character.isWhitespace(data[k])) { // text, but nothing below the diagonal of the full matrix
                    throw new RipserDataException("no distances below the diagonal: with --format distance (the default) line i"
                            + " gives the first i-1 values of row i of a full matrix, so a one-line input gives none;"
                            + " for points use --format point-cloud");
                }
            }
            throw noValues();
        }
        return values;
    }

    static PointCloud readPointCloud(byte[] data, int size) {
        CTextScanner s = new CTextScanner(data, size);
        List<float[]> points = new ArrayList<>();
        FloatList row = new FloatList();
        int firstLine = 0;
        int from = 0;
        for (int line = 1; s.line(from); line++) {
            row.n = 0;
            while (s.skipSpace()) {
                Status st = s.readFloat();
                if (st == Status.NOT_A_NUMBER) {
                    if (row.n == 0) {
                        break; // no number at the start: a header line, skipped as Ripser does
                    }
                    throw notANumber(s, "a number");
                }
                if (st == Status.OUT_OF_RANGE) {
                    throw outOfRange(s);
                }
                row.add(s.floatValue);
                s.ignoreOne();
            }
            if (row.n > 0) {
                if (!points.isEmpty() && row.n != points.get(0).length) {
                    throw new RipserDataException("line " + line + " has " + row.n + " coordinates but line "
                            + firstLine + " (the first point) has " + points.get(0).length
                            + "; all points need the same dimension");
                }
                if (points.isEmpty()) {
                    firstLine = line;
                }
                points.add(Arrays.copyOf(row.a, row.n));
            }
            from = s.nextLineStart();
        }
        if (points.isEmpty()) {
            throw new RipserDataException("the input contains no points (no line starts with a number)");
        }
        return PointCloud.of(points.toArray(new float[0][]));
    }

    static SparseDistanceMatrix readSparse(byte[] data, int size) {
        CTextScanner s = new CTextScanner(data, size);
        SparseDistanceMatrix.Builder b = SparseDistanceMatrix.builder(0);
        int from = 0;
        int lines = 0;
        while (s.line(from)) {
            from = s.nextLineStart();
            if (!s.skipSpace()) {
                continue; // blank line (Ripser reads it into stale variables; we skip it)
            }
            lines++;
            long i = index(s, "a vertex index i (line format: i j distance)");
            s.ignoreOne();
            long j = index(s, "a vertex index j (line format: i j distance)");
            s.ignoreOne();
            float d = number(s, "a distance (line format: i j distance)");
            checkDistance(s, d);
            b.add((int) i, (int) j, d);
        }
        if (lines == 0) {
            throw new RipserDataException("the input contains no entries (lines 'i j distance')");
        }
        return b.build();
    }

    private static long index(CTextScanner s, String what) {
        Status st = s.readIndex(MAX_SPARSE_INDEX);
        if (st == Status.NOT_A_NUMBER) {
            throw notANumber(s, what);
        }
        if (st == Status.OUT_OF_RANGE) {
            throw new RipserDataException("vertex index " + s.token() + " at " + s.where(s.tokenStart)
                    + " is out of range (0.." + MAX_SPARSE_INDEX + ")");
        }
        return s.indexValue;
    }

    static RipserInput readDipha(byte[] data, int size) {
        ByteBuffer bb = ByteBuffer.wrap(data, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        if (size < 8 || bb.getLong(0) != DIPHA_MAGIC) {
            throw new RipserDataException("input is not a Dipha file (magic number: 8067171840)", true);
        }
        if (size < 16 || bb.getLong(8) != DIPHA_DISTANCE_MATRIX) {
            throw new RipserDataException("input is not a Dipha distance matrix (file type: 7)", true);
        }
        if (size < 24) {
            throw new RipserDataException("the DIPHA file ends before the number of points (byte 16)");
        }
        long n = bb.getLong(16);
        if (n < 1 || n > DistanceMatrix.MAX_POINTS) {
            throw new RipserDataException("the DIPHA file declares " + n + " points; expected 1.."
                    + DistanceMatrix.MAX_POINTS);
        }
        long need = 24 + 8 * n * n;
        if (size < need) {
            throw new RipserDataException("the DIPHA file has " + (size - 24) / 8 + " of the " + n * n
                    + " values of a " + n + "x" + n + " matrix");
        }
        int t = (int) (n * (n - 1) / 2);
        float[] lower = new float[t];
        int p = 0;
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double d = bb.getDouble((int) (24 + 8 * ((long) i * n + j)));
                float f = (float) d;
                if (Double.isNaN(d) || d < 0) {
                    throw new RipserDataException("entry (" + i + "," + j + ") of the DIPHA matrix is " + d
                            + "; distances must be >= 0");
                }
                if (Float.isInfinite(f) && !Double.isInfinite(d)) {
                    throw new RipserDataException("entry (" + i + "," + j + ") of the DIPHA matrix is " + d
                            + ", outside the float range");
                }
                lower[p++] = f;
            }
        }
        return new RipserInput.Dense(DistanceMatrix.ofLowerTriangle(lower), lower, t);
    }

    static RipserInput readBinary(byte[] data, int size) {
        if (size == 0) {
            throw noValues();
        }
        if (size % 4 != 0) {
            throw new RipserDataException("binary input has " + size + " bytes, not a whole number of float32 values");
        }
        ByteBuffer bb = ByteBuffer.wrap(data, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        int k = size / 4;
        if (k >= Integer.MAX_VALUE - 16) {
            throw new RipserDataException("too many values (" + k + ")");
        }
        // Ripser's read_binary loops "while (!eof)": the read that hits the end of the file
        // fails and still appends a 0, so m = k + 1 values
        float[] values = new float[k + 1];
        for (int i = 0; i < k; i++) {
            float v = bb.getFloat(4 * i);
            if (Float.isNaN(v) || v < 0) {
                throw new RipserDataException("value " + i + " (byte " + 4 * i + ") of the binary input is " + v
                        + "; distances must be >= 0");
            }
            values[i] = v;
        }
        int n = DistanceMatrix.sizeForLowerLength(k + 1L);
        int t = (int) ((long) n * (n - 1) / 2);
        return new RipserInput.Dense(DistanceMatrix.ofLowerTriangle(Arrays.copyOf(values, t)), values, k + 1);
    }
}
