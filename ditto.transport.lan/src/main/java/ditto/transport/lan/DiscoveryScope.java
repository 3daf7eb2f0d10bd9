package ditto.transport.lan;

/**
 * Decides which announcements concern this peer: those of other peers serving the same
 * database in the same sync group.
 *
 * <p>Role and invariants: immutable. Both mechanisms (mDNS and multicast) pass every decoded
 * announcement through {@link #classify}; only {@link Verdict#ACCEPT} ones reach the peer
 * directory, so peers of other databases or groups are never reported nor connected to.
 *
 * @param databaseHash the {@link Announcement#databaseHash(String)} of the local database id
 * @param syncGroup the local sync group
 * @param localPeerKey the local peer key
 */
record DiscoveryScope(long databaseHash, long syncGroup, String localPeerKey) {

    /** What to do with an announcement. */
    enum Verdict {
        /** Another peer of this database and sync group: report it. */
        ACCEPT,
        /** This peer's own announcement, looped back. */
        SELF,
        /** A peer of another database or sync group: ignore it. */
        FOREIGN
    }

    /**
     * Classifies an announcement.
     *
     * @param announcement a decoded announcement
     * @return the verdict, never null
     */
    Verdict classify(Announcement announcement) {
        if (announcement.databaseHash() != databaseHash || announcement.syncGroup() != syncGroup) {
            return Verdict.FOREIGN;
        }
        return announcement.peerKey().equals(localPeerKey) ? Verdict.SELF : Verdict.ACCEPT;
    }
}
