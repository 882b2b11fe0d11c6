package dev.weft.yarn.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hdfs.security.token.delegation.DelegationTokenIdentifier;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.junit.jupiter.api.Test;

class CredentialRenewerTest {
    @Test
    void renewsAtThreeQuartersOfTheRemainingLifeButNeverInATightLoop() {
        long now = 1_000_000;
        assertEquals(75_000, CredentialRenewer.delay(now, now + 100_000));
        assertEquals(5_000, CredentialRenewer.delay(now, now + 1_000), "a token about to expire: soon, not at once");
        assertEquals(5_000, CredentialRenewer.delay(now, now - 1_000), "an expired one too");
        assertEquals(
                TimeUnit.HOURS.toMillis(24),
                CredentialRenewer.delay(now, Long.MAX_VALUE),
                "no token with a known expiry: look again in a day");
    }

    @Test
    void theSubmissionsTokensLiveUntilTheEarliestMaximumDate() throws Exception {
        Credentials c = new Credentials();
        c.addToken(new Text("a"), hdfsToken(5_000_000));
        c.addToken(new Text("b"), hdfsToken(3_000_000));
        c.addToken(
                new Text("amrm"),
                new Token<>(new byte[] {1}, new byte[] {2}, new Text("YARN_AM_RM_TOKEN"), new Text("s")));
        assertEquals(3_000_000, CredentialRenewer.earliestExpiry(c));
        assertEquals(Long.MAX_VALUE, CredentialRenewer.earliestExpiry(new Credentials()));
    }

    private static Token<DelegationTokenIdentifier> hdfsToken(long maxDate) throws Exception {
        DelegationTokenIdentifier id =
                new DelegationTokenIdentifier(new Text("alice"), new Text("rm"), new Text("alice"));
        id.setIssueDate(0);
        id.setMaxDate(maxDate);
        return new Token<>(
                id.getBytes(), new byte[] {1}, DelegationTokenIdentifier.HDFS_DELEGATION_KIND, new Text("nn"));
    }
}
