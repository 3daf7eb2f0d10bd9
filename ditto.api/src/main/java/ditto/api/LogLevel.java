package ditto.api;

import java.util.Locale;

/**
 * The severity of a log message, from the most severe ({@link #ERROR}) to the most detailed
 * ({@link #VERBOSE}).
 *
 * <p>{@link DittoLogger#setMinimumLogLevel(LogLevel)} takes one of these as a threshold: a
 * message is output when its level is the threshold or more severe. The declaration order is
 * the severity order, so {@code a.compareTo(b) <= 0} means "{@code a} is at least as severe as
 * {@code b}". {@link #toString()} gives the lower-case form the reference SDKs print
 * ({@code "error"}, {@code "warning"}, {@code "info"}, {@code "debug"}, {@code "verbose"}).
 */
public enum LogLevel {
    /** A failure: something did not work and was not recovered. */
    ERROR,
    /** Something unexpected that Ditto recovered from, or a likely misconfiguration. */
    WARNING,
    /** A notable event in normal operation (instance opened, peer connected, …). The default threshold. */
    INFO,
    /** Detail for diagnosing a problem. Always kept for {@link DittoLogger#exportLog}. */
    DEBUG,
    /** Everything, including per-message traffic; never kept for {@link DittoLogger#exportLog}. */
    VERBOSE;

    /** Returns the lower-case name of this level, for example {@code "warning"}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
