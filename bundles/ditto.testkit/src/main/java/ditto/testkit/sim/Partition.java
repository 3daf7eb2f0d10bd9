package ditto.testkit.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * A partition applied to a {@link SimNetwork}: a {@link Cut} that can be healed and applied
 * again, by the test or by a schedule ({@link SimNetwork#flap(Cut, long, long, int)}).
 *
 * <p>Not thread-safe: use it on the simulation's thread, like its network.
 */
public final class Partition {
    private final SimNetwork network;
    private final Cut cut;
    private final List<SimClock.Timer> schedule = new ArrayList<>();
    private boolean active;

    Partition(SimNetwork network, Cut cut) {
        this.network = network;
        this.cut = cut;
    }

    /** Returns the directions this partition blocks, never null. */
    public Cut cut() {
        return cut;
    }

    /**
     * Tells whether the partition currently blocks traffic.
     *
     * @return true between {@link #apply()} and {@link #heal()}
     */
    public boolean isActive() {
        return active;
    }

    /**
     * Applies the partition again after a heal; does nothing if it is active. A dropping cut
     * drops the frames already in flight across it.
     */
    public void apply() {
        network.applyPartition(this);
    }

    /**
     * Heals the partition: held frames become deliverable and links can be opened across it
     * again. Also cancels what remains of a flapping schedule. Idempotent.
     */
    public void heal() {
        for (SimClock.Timer timer : schedule) {
            timer.cancel();
        }
        schedule.clear();
        network.healPartition(this);
    }

    void setActive(boolean active) {
        this.active = active;
    }

    void addScheduled(SimClock.Timer timer) {
        schedule.add(timer);
    }

    @Override
    public String toString() {
        return "Partition[" + cut + (active ? ", active]" : ", healed]");
    }
}
