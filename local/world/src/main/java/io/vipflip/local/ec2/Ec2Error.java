package io.vipflip.local.ec2;

/** An error EC2 would answer with: its code, message and HTTP status (400 client, 5xx server). */
public final class Ec2Error extends RuntimeException {
    private final String code;
    private final int status;

    public Ec2Error(String code, String message, int status) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public static Ec2Error client(String code, String message) {
        return new Ec2Error(code, message, 400);
    }

    public static Ec2Error notFound(String kind, String id) {
        String code = switch (kind) {
            case "routeTable" -> "InvalidRouteTableID.NotFound";
            case "networkInterface" -> "InvalidNetworkInterfaceID.NotFound";
            case "instance" -> "InvalidInstanceID.NotFound";
            default -> "InvalidParameterValue";
        };
        return client(code, "The " + kind + " ID '" + id + "' does not exist");
    }

    public static Ec2Error missing(String parameter) {
        return client("MissingParameter", "The request must contain the parameter " + parameter);
    }

    public static Ec2Error invalidValue(String parameter, String value, String why) {
        return client("InvalidParameterValue", "Value (" + value + ") for parameter " + parameter + " is invalid. " + why);
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
