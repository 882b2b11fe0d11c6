package dev.weft.yarn.security;

import java.io.IOException;

/**
 * The cluster requires Kerberos and the submitting user has nothing to prove who they are with: no ticket, no
 * delegation tokens, no readable keytab. Raised before anything reaches the cluster; the message says what to do.
 */
public final class NoKerberosCredentialsException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoKerberosCredentialsException(String message) {
        super(message);
    }
}
