package dev.weft.shuffle.yarn;

import java.util.regex.Pattern;

/**
 * Validates the strings that become path components: application ids (as {@code ApplicationId.toString()} prints
 * them) and user names. Anything else, e.g. {@code ".."} or a string with a separator, is rejected before it can
 * reach the file system. Stateless, thread-safe.
 */
final class AppIds {
    private static final Pattern APP_ID = Pattern.compile("application_[0-9]{1,19}_[0-9]{1,10}");
    // POSIX portable user names plus '@' (Kerberos short names are mapped already, but some sites keep realms).
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@][A-Za-z0-9._@-]{0,254}");

    private AppIds() {}

    static boolean isValid(String appId) {
        return appId != null && APP_ID.matcher(appId).matches();
    }

    static boolean isValidUser(String user) {
        return user != null && USER.matcher(user).matches() && !user.equals(".") && !user.equals("..");
    }
}
