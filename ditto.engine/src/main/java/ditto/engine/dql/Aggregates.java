package ditto.engine.dql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.HashSet;
import java.util.Set;

import ditto.engine.dql.Expr.Call;

/**
 * Accumulators for the aggregates COUNT, SUM, AVG, MIN and MAX. NULL and MISSING inputs are
 * ignored (COUNT(*) counts rows); SUM and AVG ignore non-numbers; MIN and MAX use the total
 * order of {@link DqlValues}. Over no input, COUNT gives 0 and the others NULL. SUM is exact
 * for integers (widening to BigInteger), a double once a double is seen, and a BigDecimal (34
 * significant digits) once a BigDecimal is seen; AVG is a double (a BigDecimal if a BigDecimal
 * was summed). With DISTINCT each distinct value (by DQL equality) is accumulated once. One
 * accumulator per group; confined to one thread.
 */
final class Aggregates {

    private Aggregates() {
    }

    /** One group's running state for one aggregate call. */
    interface Accumulator {
        void add(Object value);

        Object result();
    }

    static Accumulator create(Call call) {
        Accumulator acc;
        switch (call.name()) {
            case "count":
                acc = call.star() ? new Count(true) : new Count(false);
                break;
            case "sum":
                acc = new Sum(false);
                break;
            case "avg":
                acc = new Sum(true);
                break;
            case "min":
                acc = new Extreme(false);
                break;
            default:
                acc = new Extreme(true);
        }
        return call.distinct() ? new Distinct(acc) : acc;
    }

    private static final class Distinct implements Accumulator {
        private final Accumulator inner;
        private final Set<Object> seen = new HashSet<>();

        Distinct(Accumulator inner) {
            this.inner = inner;
        }

        @Override
        public void add(Object value) {
            if (!DqlValues.isUnknown(value) && seen.add(DqlValues.key(value))) {
                inner.add(value);
            }
        }

        @Override
        public Object result() {
            return inner.result();
        }
    }

    private static final class Count implements Accumulator {
        private final boolean star;
        private long n;

        Count(boolean star) {
            this.star = star;
        }

        @Override
        public void add(Object value) {
            if (star || !DqlValues.isUnknown(value)) {
                n++;
            }
        }

        @Override
        public Object result() {
            return n;
        }
    }

    private static final class Sum implements Accumulator {
        private final boolean average;
        private long count;
        private long longSum;
        private BigInteger bigSum;
        private double doubleSum;
        private boolean sawDouble;
        private BigDecimal decimalSum;

        Sum(boolean average) {
            this.average = average;
        }

        @Override
        public void add(Object value) {
            if (!(value instanceof Number n)) {
                return;
            }
            count++;
            if (n instanceof BigDecimal d) {
                decimalSum = decimalSum == null ? d : decimalSum.add(d, MathContext.DECIMAL128);
            } else if (n instanceof Double || n instanceof Float) {
                sawDouble = true;
                doubleSum += n.doubleValue();
            } else if (n instanceof BigInteger b) {
                bigSum = bigSum == null ? b : bigSum.add(b);
            } else {
                try {
                    longSum = Math.addExact(longSum, n.longValue());
                } catch (ArithmeticException overflow) {
                    bigSum = (bigSum == null ? BigInteger.ZERO : bigSum).add(BigInteger.valueOf(longSum))
                            .add(BigInteger.valueOf(n.longValue()));
                    longSum = 0;
                }
            }
        }

        @Override
        public Object result() {
            if (count == 0) {
                return null;
            }
            BigInteger integral = bigSum == null ? null : bigSum.add(BigInteger.valueOf(longSum));
            if (decimalSum != null) {
                BigDecimal total = decimalSum.add(BigDecimal.valueOf(doubleSum), MathContext.DECIMAL128)
                        .add(integral == null ? BigDecimal.valueOf(longSum) : new BigDecimal(integral), MathContext.DECIMAL128);
                return average ? total.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128) : total;
            }
            if (sawDouble || average) {
                double total = doubleSum + (integral == null ? (double) longSum : integral.doubleValue());
                double r = average ? total / count : total;
                return Double.isFinite(r) ? (Object) r : null;
            }
            return integral == null ? (Object) longSum : Lexer.integerValue(integral);
        }
    }

    private static final class Extreme implements Accumulator {
        private final boolean max;
        private Object best;
        private boolean any;

        Extreme(boolean max) {
            this.max = max;
        }

        @Override
        public void add(Object value) {
            if (DqlValues.isUnknown(value)) {
                return;
            }
            if (!any) {
                best = value;
                any = true;
                return;
            }
            int c = DqlValues.compare(value, best);
            if (max ? c > 0 : c < 0) {
                best = value;
            }
        }

        @Override
        public Object result() {
            return any ? best : null;
        }
    }
}
