package ditto.engine.dql;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * strftime-style formats for {@code date_format} and {@code date_cast}. Directives:
 * {@code %Y} year, {@code %y} two-digit year, {@code %m} month 01–12, {@code %d} day 01–31,
 * {@code %e} day space-padded, {@code %j} day of year, {@code %H} hour 00–23, {@code %I} hour
 * 01–12, {@code %p} AM/PM, {@code %M} minute, {@code %S} second, {@code %L} milliseconds (3
 * digits), {@code %f} microseconds (6 digits), {@code %a}/{@code %A} weekday name,
 * {@code %b}/{@code %h}/{@code %B} month name, {@code %u} weekday 1–7 (Monday 1), {@code %w}
 * weekday 0–6 (Sunday 0), {@code %z} offset {@code +hhmm}, {@code %Z} offset name ({@code UTC}
 * or {@code +hh:mm}), {@code %s} epoch seconds, {@code %F} = {@code %Y-%m-%d}, {@code %T} =
 * {@code %H:%M:%S}, {@code %D} = {@code %m/%d/%y}, {@code %R} = {@code %H:%M}, {@code %n},
 * {@code %t}, {@code %%}. Names are English. Stateless.
 */
final class Strftime {

    /** One compiled piece of a format: a literal text or a directive letter. */
    record Item(char directive, String literal) {
    }

    private static final int MAX_FORMAT = 256;

    private Strftime() {
    }

    /** Compiles a format, expanding the composite directives. */
    static List<Item> compile(String format, ErrorCode code) {
        if (format.length() > MAX_FORMAT) {
            throw new DittoException(code, "date format: longer than " + MAX_FORMAT + " characters");
        }
        List<Item> items = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (i + 1 >= format.length()) {
                throw new DittoException(code, "date format '" + Lexer.abbreviate(format) + "': ends with a lone %");
            }
            char d = format.charAt(++i);
            String expansion = null;
            switch (d) {
                case '%':
                    literal.append('%');
                    continue;
                case 'n':
                    literal.append('\n');
                    continue;
                case 't':
                    literal.append('\t');
                    continue;
                case 'F':
                    expansion = "%Y-%m-%d";
                    break;
                case 'T':
                    expansion = "%H:%M:%S";
                    break;
                case 'D':
                    expansion = "%m/%d/%y";
                    break;
                case 'R':
                    expansion = "%H:%M";
                    break;
                case 'Y': case 'y': case 'm': case 'd': case 'e': case 'j': case 'H': case 'I': case 'p':
                case 'M': case 'S': case 'L': case 'f': case 'a': case 'A': case 'b': case 'h': case 'B':
                case 'u': case 'w': case 'z': case 'Z': case 's':
                    break;
                default:
                    throw new DittoException(code, "date format '" + Lexer.abbreviate(format) + "': unknown directive %" + d);
            }
            if (literal.length() > 0) {
                items.add(new Item('\0', literal.toString()));
                literal.setLength(0);
            }
            if (expansion != null) {
                items.addAll(compile(expansion, code));
            } else {
                items.add(new Item(d == 'h' ? 'b' : d, null));
            }
        }
        if (literal.length() > 0) {
            items.add(new Item('\0', literal.toString()));
        }
        return items;
    }

    static String format(OffsetDateTime t, List<Item> items) {
        StringBuilder sb = new StringBuilder();
        for (Item item : items) {
            if (item.literal() != null) {
                sb.append(item.literal());
                continue;
            }
            switch (item.directive()) {
                case 'Y':
                    sb.append(t.getYear() >= 0 && t.getYear() < 10000 ? pad(t.getYear(), 4) : String.valueOf(t.getYear()));
                    break;
                case 'y':
                    sb.append(pad(Math.floorMod(t.getYear(), 100), 2));
                    break;
                case 'm':
                    sb.append(pad(t.getMonthValue(), 2));
                    break;
                case 'd':
                    sb.append(pad(t.getDayOfMonth(), 2));
                    break;
                case 'e':
                    sb.append(t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
                    break;
                case 'j':
                    sb.append(pad(t.getDayOfYear(), 3));
                    break;
                case 'H':
                    sb.append(pad(t.getHour(), 2));
                    break;
                case 'I':
                    sb.append(pad(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2));
                    break;
                case 'p':
                    sb.append(t.getHour() < 12 ? "AM" : "PM");
                    break;
                case 'M':
                    sb.append(pad(t.getMinute(), 2));
                    break;
                case 'S':
                    sb.append(pad(t.getSecond(), 2));
                    break;
                case 'L':
                    sb.append(pad(t.getNano() / 1_000_000, 3));
                    break;
                case 'f':
                    sb.append(pad(t.getNano() / 1_000, 6));
                    break;
                case 'a':
                    sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                    break;
                case 'A':
                    sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                    break;
                case 'b':
                    sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                    break;
                case 'B':
                    sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                    break;
                case 'u':
                    sb.append(t.getDayOfWeek().getValue());
                    break;
                case 'w':
                    sb.append(t.getDayOfWeek().getValue() % 7);
                    break;
                case 'z': {
                    int secs = t.getOffset().getTotalSeconds();
                    sb.append(secs < 0 ? '-' : '+').append(pad(Math.abs(secs) / 3600, 2)).append(pad(Math.abs(secs) / 60 % 60, 2));
                    break;
                }
                case 'Z':
                    sb.append(t.getOffset().equals(ZoneOffset.UTC) ? "UTC" : t.getOffset().getId());
                    break;
                default:
                    sb.append(t.toEpochSecond());
            }
        }
        return sb.toString();
    }

    private static String pad(int v, int width) {
        String s = Integer.toString(v);
        StringBuilder sb = new StringBuilder();
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s).toString();
    }

    /** Parses {@code s} with a compiled format; returns null if it does not match exactly. */
    static OffsetDateTime parse(String s, List<Item> items) {
        Cursor c = new Cursor(s);
        int year = 1970;
        int month = 1;
        int day = 1;
        int dayOfYear = -1;
        int hour = 0;
        int minute = 0;
        int second = 0;
        int nanos = 0;
        Boolean pm = null;
        Long epochSeconds = null;
        ZoneOffset offset = ZoneOffset.UTC;
        for (Item item : items) {
            if (item.literal() != null) {
                if (!s.startsWith(item.literal(), c.pos)) {
                    return null;
                }
                c.pos += item.literal().length();
                continue;
            }
            Integer n;
            switch (item.directive()) {
                case 'Y':
                    n = c.signedNumber(9);
                    if (n == null) {
                        return null;
                    }
                    year = n;
                    break;
                case 'y':
                    n = c.number(2);
                    if (n == null) {
                        return null;
                    }
                    year = n < 69 ? 2000 + n : 1900 + n;
                    break;
                case 'm':
                    if ((n = c.number(2)) == null) {
                        return null;
                    }
                    month = n;
                    break;
                case 'd':
                case 'e':
                    c.skipSpaces();
                    if ((n = c.number(2)) == null) {
                        return null;
                    }
                    day = n;
                    break;
                case 'j':
                    if ((n = c.number(3)) == null) {
                        return null;
                    }
                    dayOfYear = n;
                    break;
                case 'H':
                case 'I':
                    if ((n = c.number(2)) == null) {
                        return null;
                    }
                    hour = n;
                    break;
                case 'p': {
                    String w = c.word();
                    if (w.equalsIgnoreCase("AM")) {
                        pm = false;
                    } else if (w.equalsIgnoreCase("PM")) {
                        pm = true;
                    } else {
                        return null;
                    }
                    break;
                }
                case 'M':
                    if ((n = c.number(2)) == null) {
                        return null;
                    }
                    minute = n;
                    break;
                case 'S':
                    if ((n = c.number(2)) == null) {
                        return null;
                    }
                    second = n;
                    break;
                case 'L':
                    if ((n = c.number(3)) == null) {
                        return null;
                    }
                    nanos = n * 1_000_000;
                    break;
                case 'f':
                    if ((n = c.number(6)) == null) {
                        return null;
                    }
                    nanos = n * 1_000;
                    break;
                case 'a':
                case 'A':
                    if (weekday(c.word()) < 0) {
                        return null;
                    }
                    break;
                case 'b':
                case 'B': {
                    int m = monthNumber(c.word());
                    if (m < 0) {
                        return null;
                    }
                    month = m;
                    break;
                }
                case 'u':
                case 'w':
                    if (c.number(1) == null) {
                        return null;
                    }
                    break;
                case 'z':
                case 'Z': {
                    ZoneOffset o = c.offset();
                    if (o == null) {
                        return null;
                    }
                    offset = o;
                    break;
                }
                default: {
                    int sign = 1;
                    if (c.pos < s.length() && s.charAt(c.pos) == '-') {
                        sign = -1;
                        c.pos++;
                    }
                    Long v = c.longNumber(12);
                    if (v == null) {
                        return null;
                    }
                    epochSeconds = sign * v;
                }
            }
        }
        if (c.pos != s.length()) {
            return null;
        }
        try {
            if (epochSeconds != null) {
                return OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), offset);
            }
            if (pm != null) {
                if (hour < 1 || hour > 12) {
                    return null;
                }
                hour = hour % 12 + (pm ? 12 : 0);
            }
            LocalDate date = dayOfYear > 0 ? LocalDate.ofYearDay(year, dayOfYear) : LocalDate.of(year, month, day);
            return OffsetDateTime.of(LocalDateTime.of(date, LocalTime.of(hour, minute, second, nanos)), offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int weekday(String w) {
        for (java.time.DayOfWeek d : java.time.DayOfWeek.values()) {
            if (w.equalsIgnoreCase(d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH))
                    || w.equalsIgnoreCase(d.getDisplayName(TextStyle.FULL, Locale.ENGLISH))) {
                return d.getValue();
            }
        }
        return -1;
    }

    private static int monthNumber(String w) {
        for (java.time.Month m : java.time.Month.values()) {
            if (w.equalsIgnoreCase(m.getDisplayName(TextStyle.SHORT, Locale.ENGLISH))
                    || w.equalsIgnoreCase(m.getDisplayName(TextStyle.FULL, Locale.ENGLISH))) {
                return m.getValue();
            }
        }
        return -1;
    }

    /** A read position in the string being parsed. */
    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        void skipSpaces() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        Integer number(int maxDigits) {
            Long v = longNumber(maxDigits);
            return v == null ? null : (int) (long) v;
        }

        Integer signedNumber(int maxDigits) {
            boolean negative = pos < s.length() && s.charAt(pos) == '-';
            if (negative) {
                pos++;
            }
            Integer v = number(maxDigits);
            return v == null ? null : negative ? -v : v;
        }

        Long longNumber(int maxDigits) {
            int start = pos;
            long v = 0;
            while (pos < s.length() && pos - start < maxDigits && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                v = v * 10 + (s.charAt(pos) - '0');
                pos++;
            }
            return pos == start ? null : v;
        }

        String word() {
            int start = pos;
            while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        ZoneOffset offset() {
            if (s.startsWith("UTC", pos) || s.startsWith("GMT", pos)) {
                pos += 3;
                return ZoneOffset.UTC;
            }
            if (pos < s.length() && s.charAt(pos) == 'Z') {
                pos++;
                return ZoneOffset.UTC;
            }
            if (pos >= s.length() || s.charAt(pos) != '+' && s.charAt(pos) != '-') {
                return null;
            }
            int sign = s.charAt(pos) == '-' ? -1 : 1;
            pos++;
            Integer h = number(2);
            if (h == null) {
                return null;
            }
            if (pos < s.length() && s.charAt(pos) == ':') {
                pos++;
            }
            Integer m = pos < s.length() && Character.isDigit(s.charAt(pos)) ? number(2) : Integer.valueOf(0);
            try {
                return ZoneOffset.ofHoursMinutes(sign * h, sign * m);
            } catch (DateTimeException e) {
                return null;
            }
        }
    }
}
