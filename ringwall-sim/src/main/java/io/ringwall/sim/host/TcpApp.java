package io.ringwall.sim.host;

/** What a simulated application does with a TCP connection; all callbacks run on the simulation thread. */
public interface TcpApp {
    default void onEstablished(TcpConnection connection) {
    }

    /** In-order bytes; the array is only valid during the call. */
    default void onData(TcpConnection connection, byte[] data, int offset, int length) {
    }

    default void onPeerClosed(TcpConnection connection) {
    }

    /** The do-nothing app for clients that only write and read the counters. */
    TcpApp NONE = new TcpApp() {
    };

    /** Writes back every byte it receives and closes when the peer closes. */
    TcpApp ECHO = new TcpApp() {
        @Override
        public void onData(TcpConnection connection, byte[] data, int offset, int length) {
            connection.write(java.util.Arrays.copyOfRange(data, offset, offset + length));
        }

        @Override
        public void onPeerClosed(TcpConnection connection) {
            connection.close();
        }
    };
}
