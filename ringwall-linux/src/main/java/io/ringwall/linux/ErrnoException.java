package io.ringwall.linux;

/** A libc call failed; carries the call name, errno and the kernel's error text. */
public class ErrnoException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final int errno;

    public ErrnoException(String context, String call, int errno) {
        super(context + ": " + call + " failed: " + Libc.strerror(errno) + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
