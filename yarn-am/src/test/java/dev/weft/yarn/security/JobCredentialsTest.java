package dev.weft.yarn.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.yarn.security.AMRMTokenIdentifier;
import org.apache.hadoop.yarn.security.client.RMDelegationTokenIdentifier;
import org.junit.jupiter.api.Test;

class JobCredentialsTest {
    private static Token<?> token(String kind, String service) {
        return new Token<>(new byte[] {1, 2}, new byte[] {3}, new Text(kind), new Text(service));
    }

    @Test
    void executorsGetEveryTokenButTheDriversAmrmAndResourceManagerTokens() throws Exception {
        Credentials driver = new Credentials();
        Token<?> hdfs = token("HDFS_DELEGATION_TOKEN", "127.0.0.1:8020");
        Token<?> other = token("HDFS_DELEGATION_TOKEN", "10.0.0.2:8020");
        Token<?> amrm = token(AMRMTokenIdentifier.KIND_NAME.toString(), "127.0.0.1:8030");
        Token<?> rm = token(RMDelegationTokenIdentifier.KIND_NAME.toString(), "127.0.0.1:8032");
        for (Token<?> t : new Token<?>[] {hdfs, other, amrm, rm}) {
            driver.addToken(t.getService(), t);
        }
        driver.addSecretKey(new Text("k"), new byte[] {9});

        Credentials executors = JobCredentials.withoutDriverOnly(driver);

        assertEquals(Set.of(hdfs, other), Set.copyOf(executors.getAllTokens()));
        assertArrayEquals(new byte[] {9}, executors.getSecretKey(new Text("k")));
    }

    @Test
    void serializedCredentialsReadBackAsTheNodeManagerReadsThem() throws Exception {
        Credentials c = new Credentials();
        Token<?> hdfs = token("HDFS_DELEGATION_TOKEN", "127.0.0.1:8020");
        c.addToken(hdfs.getService(), hdfs);

        ByteBuffer bytes = JobCredentials.serialize(c);
        byte[] b = new byte[bytes.remaining()];
        bytes.duplicate().get(b);
        Credentials back = new Credentials();
        back.readTokenStorageStream(new DataInputStream(new ByteArrayInputStream(b)));

        assertEquals(
                Set.of("127.0.0.1:8020"),
                back.getAllTokens().stream().map(t -> t.getService().toString()).collect(Collectors.toSet()));
        assertNull(JobCredentials.serialize(new Credentials()), "no tokens: a launch context without tokens");
    }

    @Test
    void principalAndKeytabGoTogether() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> JobCredentials.submitter("alice@EXAMPLE.COM", null, "weft.yarn.principal", "weft.yarn.keytab"));
        assertTrue(e.getMessage().contains("weft.yarn.keytab is not set"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> JobCredentials.submitter(" ", "/k.keytab", "weft.yarn.principal", "weft.yarn.keytab"));
        assertTrue(e.getMessage().contains("weft.yarn.principal is not set"), e.getMessage());
    }

    @Test
    void withoutKerberosTheCurrentUserSubmitsAndTheDriverGetsNoTokens() throws Exception {
        // Unit tests run with hadoop.security.authentication=simple.
        assertSame(
                UserGroupInformation.getCurrentUser(),
                JobCredentials.submitter(null, null, "weft.yarn.principal", "weft.yarn.keytab"));
        assertEquals(
                0,
                JobCredentials.forDriver(dev.weft.conf.HadoopConfigurations.create(), null, java.util.List.of())
                        .numberOfTokens());
    }
}
