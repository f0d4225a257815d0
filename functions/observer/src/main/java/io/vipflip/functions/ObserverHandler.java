package io.vipflip.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.vipflip.probe.TcpProber;
import io.vipflip.vantage.Observer;
import io.vipflip.vantage.ObserverProtocol;
import io.vipflip.vantage.ObserverRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * An AZ observer (issue 14): probes the nodes a deciding run asks about, from the one subnet it is attached to, and
 * answers what it saw. It holds no lease and writes nothing. {@code VIPFLIP_VANTAGE} names where it stands (its
 * Availability Zone); a malformed request fails naming the field (the caller counts it as no vote). The template's
 * schedule sends {@code {"warm":true}} every few minutes, answered without a probe, so that a deciding run meets a
 * warm environment.
 */
public final class ObserverHandler implements RequestStreamHandler {
    static final String VANTAGE_VARIABLE = "VIPFLIP_VANTAGE";
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    private final Observer observer;

    public ObserverHandler() {
        this(new Observer(new TcpProber(), System.getenv().getOrDefault(VANTAGE_VARIABLE, "unnamed-vantage")));
    }

    ObserverHandler(Observer observer) {
        this.observer = observer;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] request = input.readNBytes(MAX_REQUEST_BYTES + 1);
        if (request.length > MAX_REQUEST_BYTES) {
            throw new ObserverRequestException("request", "is larger than " + MAX_REQUEST_BYTES + " bytes");
        }
        output.write(ObserverProtocol.isWarmUp(request) ? ObserverProtocol.answer(observer.idle())
                : observer.answer(request));
    }
}
