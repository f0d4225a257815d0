package io.vipflip.route;

import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.local.ec2.World;
import io.vipflip.testing.Ec2Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * The same suite through the "external endpoint" path — seeding by CreateVpc, CreateSubnet,
 * CreateNetworkInterface, CreateRouteTable and CreateRoute over the EC2 API, as against LocalStack — here aimed at
 * an empty local endpoint so CI proves that path. Cases needing the local world's fault injection are skipped.
 */
class Ec2RouteTablesExternalIT extends Ec2RouteTablesIT {
    private final List<Ec2Endpoint> endpoints = new ArrayList<>();

    @Override
    protected Ec2Target newTarget(int tables) {
        Ec2Endpoint empty = Ec2Endpoint.start(new World("123456789012"));
        endpoints.add(empty);
        return Ec2Target.start(tables, Optional.of(empty.endpoint()));
    }

    @AfterEach
    void stopEndpoints() {
        endpoints.forEach(Ec2Endpoint::close);
    }
}
