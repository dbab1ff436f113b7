package io.ringwall.app.mgmt;

/** "host:port" as given in the config ({@code [management] listen}) or to the CLI ({@code --node}). */
public record HostPort(String host, int port) {
    /** Where the listener binds and the CLI connects unless told otherwise. */
    public static final HostPort DEFAULT = new HostPort("127.0.0.1", 7480);
    private static final int MAX_HOST_CHARS = 253;
    private static final int MAX_PORT = 65_535;

    /** Parses "host:port"; the host must be non-empty (a name or an IPv4 address), the port 1..65535. */
    public static HostPort parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("address is empty; expected HOST:PORT, e.g. 127.0.0.1:7480");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT, e.g. 127.0.0.1:7480");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (host.length() > MAX_HOST_CHARS || !host.matches("[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or IPv4 address");
        }
        if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > MAX_PORT) {
            throw new IllegalArgumentException("port '" + portText + "' is not a number from 1 to " + MAX_PORT);
        }
        return new HostPort(host, Integer.parseInt(portText));
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
