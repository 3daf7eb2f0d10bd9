package ditto.engine.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ditto.engine.wire.Message;

/**
 * What this peer knows of the presence graph: the newest {@link Message.Presence} of every
 * other peer it heard of, and which of them are reachable. Confined to the engine's executor.
 *
 * <p>Invariants: at most one record per origin peer key, always the highest version seen; never
 * a record of the local peer. Only origins reachable from the local peer over <em>mutual</em>
 * edges (both ends list each other) are {@link #reachable}, so a link that one end has
 * already dropped disappears as soon as that end's newer record arrives, and peers behind it
 * disappear with it; they come back when a link does (a new session exchanges every record).
 */
final class PresenceTable {

    /** Records kept before those of unreachable peers are dropped. */
    static final int MAX_RECORDS = 4096;

    private final Map<String, Message.Presence> remotes = new LinkedHashMap<>();

    /**
     * Offers a record received from a peer.
     *
     * @param localPeerKey this peer's key: its own record is never taken from others
     * @return true if the record is newer than what was known (it is kept and should be relayed)
     */
    boolean offer(String localPeerKey, Message.Presence record) {
        if (record.peerKey().isEmpty() || record.peerKey().equals(localPeerKey)) {
            return false;
        }
        Message.Presence known = remotes.get(record.peerKey());
        if (known != null && known.version() >= record.version()) {
            return false;
        }
        remotes.put(record.peerKey(), record);
        return true;
    }

    /**
     * Returns the records of the peers reachable from the local peer over mutual edges, in the
     * order they were first learned. Records of unreachable peers stay (a link that comes back
     * makes them visible again, and a newer version replaces them) up to {@link #MAX_RECORDS};
     * beyond that the unreachable ones are dropped.
     */
    List<Message.Presence> reachable(Message.Presence local) {
        Set<String> reached = new HashSet<>();
        reached.add(local.peerKey());
        ArrayDeque<Message.Presence> queue = new ArrayDeque<>();
        queue.add(local);
        while (!queue.isEmpty()) {
            Message.Presence p = queue.poll();
            for (Message.PresenceLink l : p.connections()) {
                if (reached.contains(l.peerKey())) {
                    continue;
                }
                Message.Presence other = remotes.get(l.peerKey());
                if (other != null && lists(other, p.peerKey())) {
                    reached.add(l.peerKey());
                    queue.add(other);
                }
            }
        }
        List<Message.Presence> result = new ArrayList<>(reached.size());
        for (Iterator<Message.Presence> it = remotes.values().iterator(); it.hasNext();) {
            Message.Presence p = it.next();
            if (reached.contains(p.peerKey())) {
                result.add(p);
            } else if (remotes.size() > MAX_RECORDS) {
                it.remove();
            }
        }
        return result;
    }

    /** Returns the records, in the order they were first learned. */
    List<Message.Presence> records() {
        return List.copyOf(remotes.values());
    }

    /** Returns the record of {@code peerKey}, or null. */
    Message.Presence get(String peerKey) {
        return remotes.get(peerKey);
    }

    /** Forgets everything (sync stopped). */
    void clear() {
        remotes.clear();
    }

    private static boolean lists(Message.Presence p, String peerKey) {
        for (Message.PresenceLink l : p.connections()) {
            if (l.peerKey().equals(peerKey)) {
                return true;
            }
        }
        return false;
    }
}
