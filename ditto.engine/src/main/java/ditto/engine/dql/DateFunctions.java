package ditto.engine.dql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.dql.Expr.Literal;

/**
 * The date functions. A date is an epoch-millisecond number or an ISO-8601 string
 * ({@code 2024-03-01}, {@code 2024-03-01T12:30:00}, {@code 2024-03-01 12:30:00.250+02:00};
 * no offset means UTC). Results that are dates keep the representation of the input: a number
 * in gives epoch milliseconds out, a string in gives an ISO-8601 string out, at the input's
 * offset, always with milliseconds ({@code 2024-03-01T12:30:00.000Z}). Calendar arithmetic
 * (year, month, day) happens at that offset. Precision is one millisecond. Stateless.
 */
final class DateFunctions {

    private static final DateTimeFormatter ISO_IN = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalEnd()
            .optionalStart()
            .parseLenient()
            .appendOffset("+HH:MM:ss", "Z")
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private static final DateTimeFormatter ISO_OUT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendPattern("HH:mm:ss.SSS")
            .appendOffset("+HH:MM", "Z")
            .toFormatter(Locale.ROOT);

    private DateFunctions() {
    }

    /** Formats an instant as the ISO-8601 UTC string that {@code clock()} returns. */
    static String format(long epochMillis) {
        return ISO_OUT.format(OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC));
    }

    /** The calendar units of date_add, date_sub, date_diff and date_trunc, and the parts of date_part. */
    enum Unit {
        YEAR(ChronoUnit.YEARS), MONTH(ChronoUnit.MONTHS), DAY(ChronoUnit.DAYS), HOUR(ChronoUnit.HOURS),
        MINUTE(ChronoUnit.MINUTES), SECOND(ChronoUnit.SECONDS), MILLISECOND(ChronoUnit.MILLIS);

        final ChronoUnit chrono;

        Unit(ChronoUnit chrono) {
            this.chrono = chrono;
        }

        static Unit parse(Object v, String function, ErrorCode code) {
            if (v instanceof String s) {
                String u = s.toUpperCase(Locale.ROOT);
                if (u.endsWith("S") && !u.isEmpty()) {
                    u = u.substring(0, u.length() - 1);
                }
                for (Unit unit : values()) {
                    if (unit.name().equals(u)) {
                        return unit;
                    }
                }
            }
            throw new DittoException(code, function + ": unknown unit " + (v instanceof String s ? "'" + Lexer.abbreviate(s) + "'" : DqlValues.typeName(v))
                    + " (expected 'year', 'month', 'day', 'hour', 'minute', 'second' or 'millisecond')");
        }
    }

    /** A date read from a value: the time, and whether it came as a number. */
    private record Date(OffsetDateTime time, boolean numeric) {
        Object toValue(OffsetDateTime t) {
            return numeric ? (Object) t.toInstant().toEpochMilli() : ISO_OUT.format(t);
        }
    }

    /** Reads a date; returns null if the value is not a date. */
    private static Date read(Object v) {
        if (v instanceof Number n) {
            Long ms = millis(n);
            if (ms == null) {
                return null;
            }
            try {
                return new Date(OffsetDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC), true);
            } catch (DateTimeException e) {
                return null;
            }
        }
        if (v instanceof String s) {
            OffsetDateTime t = parseIso(s);
            return t == null ? null : new Date(t, false);
        }
        return null;
    }

    private static Long millis(Number n) {
        if (DqlValues.isIntegral(n)) {
            return n.longValue();
        }
        if (n instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : null;
        }
        double d = n instanceof BigDecimal b ? b.doubleValue() : n.doubleValue();
        double f = Math.floor(d);
        return Double.isFinite(f) && f >= -0x1p63 && f < 0x1p63 ? (long) f : null;
    }

    static OffsetDateTime parseIso(String s) {
        if (s.length() > 64) {
            return null;
        }
        String t = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        try {
            TemporalAccessor a = ISO_IN.parse(t);
            LocalDate date = LocalDate.from(a);
            LocalDateTime local = a.isSupported(ChronoField.HOUR_OF_DAY)
                    ? LocalDateTime.of(date, java.time.LocalTime.from(a)) : date.atStartOfDay();
            ZoneOffset offset = a.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(a) : ZoneOffset.UTC;
            return OffsetDateTime.of(local, offset).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeException e) {
            return null;
        }
    }

    static Compiled compile(String name, List<Expr> exprs, List<Compiled> args) {
        ErrorCode constant = ErrorCode.QUERY_COMPILATION;
        switch (name) {
            case "date_add":
            case "date_sub": {
                Unit fixed = exprs.get(2) instanceof Literal l ? Unit.parse(l.value(), name, constant) : null;
                if (args.isEmpty()) {
                    return null;
                }
                boolean subtract = name.equals("date_sub");
                return row -> {
                    Object d = args.get(0).eval(row);
                    Object n = args.get(1).eval(row);
                    Unit unit = fixed != null ? fixed : Unit.parse(args.get(2).eval(row), name, ErrorCode.QUERY_EXECUTION);
                    if (d == Missing.INSTANCE || n == Missing.INSTANCE) {
                        return Missing.INSTANCE;
                    }
                    Date date = read(d);
                    Long amount = n instanceof Number num ? ExprCompiler.integralValue(num) : null;
                    if (date == null || amount == null) {
                        return null;
                    }
                    try {
                        long a = subtract ? Math.negateExact(amount) : amount;
                        return date.toValue(date.time().plus(a, unit.chrono));
                    } catch (ArithmeticException | DateTimeException e) {
                        return null;
                    }
                };
            }
            case "date_diff": {
                Unit fixed = exprs.get(2) instanceof Literal l ? Unit.parse(l.value(), name, constant) : null;
                if (args.isEmpty()) {
                    return null;
                }
                return row -> {
                    Object a = args.get(0).eval(row);
                    Object b = args.get(1).eval(row);
                    Unit unit = fixed != null ? fixed : Unit.parse(args.get(2).eval(row), name, ErrorCode.QUERY_EXECUTION);
                    if (a == Missing.INSTANCE || b == Missing.INSTANCE) {
                        return Missing.INSTANCE;
                    }
                    Date d1 = read(a);
                    Date d2 = read(b);
                    if (d1 == null || d2 == null) {
                        return null;
                    }
                    try {
                        return unit.chrono.between(d2.time(), d1.time());
                    } catch (ArithmeticException | DateTimeException e) {
                        return null;
                    }
                };
            }
            case "date_part": {
                Unit fixed = exprs.get(1) instanceof Literal l ? Unit.parse(l.value(), name, constant) : null;
                if (args.isEmpty()) {
                    return null;
                }
                return row -> {
                    Object d = args.get(0).eval(row);
                    Unit unit = fixed != null ? fixed : Unit.parse(args.get(1).eval(row), name, ErrorCode.QUERY_EXECUTION);
                    if (d == Missing.INSTANCE) {
                        return Missing.INSTANCE;
                    }
                    Date date = read(d);
                    return date == null ? null : (Object) part(date.time(), unit);
                };
            }
            case "date_trunc": {
                Unit fixed = exprs.get(1) instanceof Literal l ? Unit.parse(l.value(), name, constant) : null;
                if (args.isEmpty()) {
                    return null;
                }
                return row -> {
                    Object d = args.get(0).eval(row);
                    Unit unit = fixed != null ? fixed : Unit.parse(args.get(1).eval(row), name, ErrorCode.QUERY_EXECUTION);
                    if (d == Missing.INSTANCE) {
                        return Missing.INSTANCE;
                    }
                    Date date = read(d);
                    return date == null ? null : date.toValue(truncate(date.time(), unit));
                };
            }
            case "date_format": {
                List<Strftime.Item> fixed = exprs.get(1) instanceof Literal l && l.value() instanceof String f
                        ? Strftime.compile(f, constant) : null;
                if (args.isEmpty()) {
                    return null;
                }
                return row -> {
                    Object d = args.get(0).eval(row);
                    Object f = args.get(1).eval(row);
                    if (d == Missing.INSTANCE || f == Missing.INSTANCE) {
                        return Missing.INSTANCE;
                    }
                    Date date = read(d);
                    if (date == null || !(f instanceof String fs)) {
                        return null;
                    }
                    return Strftime.format(date.time(), fixed != null ? fixed : Strftime.compile(fs, ErrorCode.QUERY_EXECUTION));
                };
            }
            default: {
                List<Strftime.Item> fixed = exprs.get(1) instanceof Literal l && l.value() instanceof String f
                        ? Strftime.compile(f, constant) : null;
                if (args.isEmpty()) {
                    return null;
                }
                return row -> {
                    Object s = args.get(0).eval(row);
                    Object f = args.get(1).eval(row);
                    if (s == Missing.INSTANCE || f == Missing.INSTANCE) {
                        return Missing.INSTANCE;
                    }
                    if (!(s instanceof String str) || !(f instanceof String fs)) {
                        return null;
                    }
                    OffsetDateTime t = Strftime.parse(str, fixed != null ? fixed : Strftime.compile(fs, ErrorCode.QUERY_EXECUTION));
                    return t == null ? null : ISO_OUT.format(t);
                };
            }
        }
    }

    private static long part(OffsetDateTime t, Unit unit) {
        switch (unit) {
            case YEAR:
                return t.getYear();
            case MONTH:
                return t.getMonthValue();
            case DAY:
                return t.getDayOfMonth();
            case HOUR:
                return t.getHour();
            case MINUTE:
                return t.getMinute();
            case SECOND:
                return t.getSecond();
            default:
                return t.getNano() / 1_000_000;
        }
    }

    private static OffsetDateTime truncate(OffsetDateTime t, Unit unit) {
        switch (unit) {
            case YEAR:
                return t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
            case MONTH:
                return t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            default:
                return t.truncatedTo(unit.chrono);
        }
    }
}
