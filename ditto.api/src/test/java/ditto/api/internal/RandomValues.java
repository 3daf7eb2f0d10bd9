package ditto.api.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test helper: generates random JSON-model values (the simple reference model the codecs are
 * checked against) and compares them deeply, byte arrays by content and maps in order.
 */
final class RandomValues {
    private RandomValues() {
    }

    /** Returns the seed from {@code -Dditto.seed=...} or a fresh one, printed so a failure can be replayed. */
    static long seed(String testName) {
        String property = System.getProperty("ditto.seed");
        long seed = property != null ? Long.parseLong(property) : System.nanoTime();
        System.out.println(testName + " seed=" + seed + " (replay with -Dditto.seed=" + seed + ")");
        return seed;
    }

    /**
     * Generates a value whose decoded form equals itself. For JSON ({@code binary == false})
     * that excludes byte arrays, BigDecimals and BigIntegers inside the long range.
     */
    static Object value(Random random, int depth, boolean binary) {
        int kinds = depth >= 6 ? 8 : 10;
        switch (random.nextInt(kinds)) {
            case 0:
                return null;
            case 1:
                return random.nextBoolean();
            case 2:
                return randomLong(random);
            case 3:
                return randomDouble(random);
            case 4:
                return randomString(random);
            case 5:
                BigInteger big = new BigInteger(64 + random.nextInt(200), random).add(BigInteger.ONE.shiftLeft(63));
                return random.nextBoolean() ? big : big.negate().subtract(BigInteger.ONE);
            case 6:
                if (binary) {
                    byte[] bytes = new byte[random.nextInt(40)];
                    random.nextBytes(bytes);
                    return bytes;
                }
                return randomString(random);
            case 7:
                if (binary) {
                    return new BigDecimal(new BigInteger(1 + random.nextInt(120), random), random.nextInt(40) - 20);
                }
                return randomLong(random);
            case 8: {
                int n = random.nextInt(6);
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(value(random, depth + 1, binary));
                }
                return list;
            }
            default: {
                int n = random.nextInt(6);
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    map.put(randomString(random), value(random, depth + 1, binary));
                }
                return map;
            }
        }
    }

    static long randomLong(Random random) {
        switch (random.nextInt(4)) {
            case 0:
                return random.nextInt(50) - 25;
            case 1:
                return random.nextInt();
            case 2:
                return random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            default:
                return random.nextLong();
        }
    }

    static double randomDouble(Random random) {
        switch (random.nextInt(5)) {
            case 0: {
                double[] special = {0.0, -0.0, 1.5, -2.0, 65504.0, Double.MIN_VALUE, Double.MAX_VALUE,
                        -Double.MAX_VALUE, Float.MAX_VALUE, Float.MIN_VALUE, 5.960464477539063e-8, 0.1};
                return special[random.nextInt(special.length)];
            }
            case 1:
                return (double) (float) (random.nextGaussian() * 1000);
            case 2:
                return random.nextInt(2000) / 8.0 - 100;
            case 3:
                return random.nextDouble() * Math.pow(10, random.nextInt(600) - 300);
            default: {
                double d;
                do {
                    d = Double.longBitsToDouble(random.nextLong());
                } while (!Double.isFinite(d));
                return d;
            }
        }
    }

    static String randomString(Random random) {
        int n = random.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(5)) {
                case 0:
                    sb.append((char) random.nextInt(0x20));
                    break;
                case 1:
                    sb.append("\"\\/ab{}[],:"
                            .charAt(random.nextInt(11)));
                    break;
                case 2:
                    sb.append((char) (0x80 + random.nextInt(0xD800 - 0x80)));
                    break;
                case 3:
                    sb.appendCodePoint(0x10000 + random.nextInt(0x100000));
                    break;
                default:
                    sb.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return sb.toString();
    }

    /** Deep equality of model values: byte arrays by content, maps including key order. */
    static boolean deepEquals(Object a, Object b) {
        if (a instanceof byte[] && b instanceof byte[]) {
            return Arrays.equals((byte[]) a, (byte[]) b);
        }
        if (a instanceof List && b instanceof List) {
            List<?> x = (List<?>) a;
            List<?> y = (List<?>) b;
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!deepEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map && b instanceof Map) {
            Map<?, ?> x = (Map<?, ?>) a;
            Map<?, ?> y = (Map<?, ?>) b;
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<? extends Map.Entry<?, ?>> i = x.entrySet().iterator();
            Iterator<? extends Map.Entry<?, ?>> j = y.entrySet().iterator();
            while (i.hasNext()) {
                Map.Entry<?, ?> e = i.next();
                Map.Entry<?, ?> f = j.next();
                if (!e.getKey().equals(f.getKey()) || !deepEquals(e.getValue(), f.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Double && b instanceof Double) {
            return Double.doubleToRawLongBits((Double) a) == Double.doubleToRawLongBits((Double) b);
        }
        return a == null ? b == null : a.equals(b);
    }
}
