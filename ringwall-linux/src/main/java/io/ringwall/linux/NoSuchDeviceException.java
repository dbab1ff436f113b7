package io.ringwall.linux;

/** The named network device does not exist (in this network namespace). */
public final class NoSuchDeviceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String device;

    public NoSuchDeviceException(String device) {
        super("no such network device: " + device);
        this.device = device;
    }

    public String device() {
        return device;
    }
}
