package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriverCredentialsTest {
    @Test
    void tokensRenewedBeforeTheEndpointExistsReachItWhenItSubscribesAndLaterOnesAtOnce() {
        DriverCredentials.publish(ByteBuffer.wrap(new byte[] {1, 2}));
        List<byte[]> sent = new ArrayList<>();
        DriverCredentials.sendTo(sent::add);
        assertEquals(1, sent.size());
        assertArrayEquals(new byte[] {1, 2}, sent.get(0));

        DriverCredentials.publish(ByteBuffer.wrap(new byte[] {3}));
        assertEquals(2, sent.size());
        assertArrayEquals(new byte[] {3}, sent.get(1));
        DriverCredentials.publish(null);
        assertEquals(2, sent.size(), "no tokens (Kerberos off): nothing to send");
    }
}
