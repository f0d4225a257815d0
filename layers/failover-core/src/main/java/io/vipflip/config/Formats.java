package io.vipflip.config;

import java.util.Optional;
import java.util.regex.Pattern;

/** The shapes of identifiers and addresses a configuration may hold. */
public final class Formats {
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    public static final Pattern INSTANCE_ID = Pattern.compile("i-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    public static final Pattern ENI_ID = Pattern.compile("eni-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    public static final Pattern VPC_ID = Pattern.compile("vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    public static final Pattern ROUTE_TABLE_ID = Pattern.compile("rtb-(?:[0-9a-f]{8}|[0-9a-f]{17})");

    private Formats() {
    }

    /** Why {@code text} is not a usable VIP CIDR, or empty when it is one. */
    public static Optional<String> vipCidrProblem(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.of("must be an IPv4 CIDR such as 192.168.100.10/32 (got '" + text + "')");
        }
        Optional<Long> address = ipv4(text.substring(0, slash));
        String prefixText = text.substring(slash + 1);
        if (address.isEmpty() || !prefixText.matches("[0-9]{1,2}")) {
            return Optional.of("must be an IPv4 CIDR such as 192.168.100.10/32 (got '" + text + "')");
        }
        int prefix = Integer.parseInt(prefixText);
        if (prefix < 8 || prefix > 32) {
            // A VIP covering a /0../7 would take over the default route or a large part of the address space.
            return Optional.of("prefix must be between /8 and /32 (got /" + prefix + ")");
        }
        long hostMask = prefix == 32 ? 0 : (1L << (32 - prefix)) - 1;
        if ((address.get() & hostMask) != 0) {
            return Optional.of("has host bits set; did you mean " + text.substring(0, slash) + "/32?");
        }
        return Optional.empty();
    }

    public static boolean isIpv4(String text) {
        return ipv4(text).isPresent();
    }

    private static Optional<Long> ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        long value = 0;
        for (String part : parts) {
            if (!part.matches("[0-9]{1,3}") || (part.length() > 1 && part.startsWith("0"))) {
                return Optional.empty();
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return Optional.empty();
            }
            value = (value << 8) | octet;
        }
        return Optional.of(value);
    }
}
