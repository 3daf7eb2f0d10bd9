package ditto.transport.lan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DiscoveryScopeTest {

    @Test
    void acceptsOnlyOtherPeersOfTheSameDatabaseAndGroup() {
        DiscoveryScope scope = new DiscoveryScope(Announcement.databaseHash("db"), 3, "me");
        long db = Announcement.databaseHash("db");
        assertEquals(DiscoveryScope.Verdict.ACCEPT, scope.classify(new Announcement(db, 3, "you", "", 1)));
        assertEquals(DiscoveryScope.Verdict.SELF, scope.classify(new Announcement(db, 3, "me", "", 1)));
        assertEquals(DiscoveryScope.Verdict.FOREIGN, scope.classify(new Announcement(db, 4, "you", "", 1)));
        assertEquals(DiscoveryScope.Verdict.FOREIGN,
                scope.classify(new Announcement(Announcement.databaseHash("db2"), 3, "you", "", 1)));
    }
}
