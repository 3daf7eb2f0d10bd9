/**
 * The process-wide log hub behind {@link ditto.api.DittoLogger}; not exported.
 *
 * <p>{@link ditto.api.internal.log.LogHub} holds the logger settings and fans each message out
 * to the console (standard error), the optional log file, the optional custom callback and the
 * always-on {@link ditto.api.internal.log.ExportJournal}. {@code DittoLogger} owns the single
 * process-wide instance; tests build private instances with their own clock, console and caps.
 * Everything here depends on the JDK only, so plug-ins and the engine can log without a
 * logging framework, and the engine's tinylog writer forwards into the same hub.
 */
package ditto.api.internal.log;
