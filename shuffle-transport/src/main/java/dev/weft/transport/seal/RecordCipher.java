package dev.weft.transport.seal;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM over the records of one direction of one connection. Record {@code n} (counting from 0) is sealed under the
 * 12-byte nonce {@code 0x00000000 || n} (big-endian), with the record's 4-byte length header as associated data, so
 * that a record cannot be dropped, repeated, reordered or cut without the receiver's check failing. The counter never
 * wraps: after 2^63 records the cipher refuses to go on.
 *
 * <p>Not thread-safe: one instance per direction, confined to the channel's event loop.
 */
final class RecordCipher {
    /** Largest plaintext of one record; larger writes are cut into several records. */
    static final int MAX_PLAINTEXT = 64 * 1024;

    static final int TAG_BYTES = 16;
    static final int HEADER_BYTES = 4;
    private static final int NONCE_BYTES = 12;

    private final Cipher cipher;
    private final SecretKey key;
    private final int mode;
    private final byte[] nonce = new byte[NONCE_BYTES];
    private final byte[] header = new byte[HEADER_BYTES];
    private long counter;

    private RecordCipher(SecretKey key, int mode) {
        this.key = key;
        this.mode = mode;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is part of every Java runtime", e);
        }
    }

    static RecordCipher sealing(SecretKey key) {
        return new RecordCipher(key, Cipher.ENCRYPT_MODE);
    }

    static RecordCipher opening(SecretKey key) {
        return new RecordCipher(key, Cipher.DECRYPT_MODE);
    }

    /** Records processed so far; the next record's number. */
    long records() {
        return counter;
    }

    /**
     * Seals {@code plaintext} (all its remaining bytes) into {@code out}: the 4-byte header, then ciphertext and tag.
     */
    void seal(ByteBuffer plaintext, ByteBuffer out) throws GeneralSecurityException {
        int sealedLength = plaintext.remaining() + TAG_BYTES;
        writeHeader(sealedLength);
        out.put(header);
        start();
        cipher.doFinal(plaintext, out);
    }

    /**
     * Opens one record's sealed bytes (ciphertext and tag, {@code sealedLength} = {@code sealed.remaining()}) into
     * {@code out}.
     *
     * @throws AEADBadTagException when the record was altered or sealed under another key or position
     */
    void open(ByteBuffer sealed, ByteBuffer out) throws GeneralSecurityException {
        writeHeader(sealed.remaining());
        start();
        cipher.doFinal(sealed, out);
    }

    private void writeHeader(int sealedLength) {
        header[0] = (byte) (sealedLength >>> 24);
        header[1] = (byte) (sealedLength >>> 16);
        header[2] = (byte) (sealedLength >>> 8);
        header[3] = (byte) sealedLength;
    }

    private void start() throws GeneralSecurityException {
        if (counter < 0) {
            throw new GeneralSecurityException("record counter exhausted; the connection must be re-established");
        }
        long n = counter++;
        for (int i = 0; i < 8; i++) {
            nonce[NONCE_BYTES - 1 - i] = (byte) (n >>> (8 * i));
        }
        cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        cipher.updateAAD(header);
    }
}
