package ditto.engine.dql;

/**
 * The MISSING value: what a path evaluates to when the field is absent (or navigation passes
 * through a non-object). It is never stored; a projection omits a MISSING-valued item, and an
 * object constructor drops a MISSING-valued entry. Compare with {@code ==}.
 */
public enum Missing {
    /** The one MISSING value. */
    INSTANCE;

    /** Returns {@code "MISSING"}. */
    @Override
    public String toString() {
        return "MISSING";
    }
}
