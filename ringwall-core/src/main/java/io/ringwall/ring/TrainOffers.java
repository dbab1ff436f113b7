package io.ringwall.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Carriage updates a node wants to make, held until it next holds the token: only the holder changes the
 * train, so the token serialises every change (the cluster mutex of SPEC §4). Applied in type order.
 */
final class TrainOffers {
    private final Map<Integer, byte[]> pending = new TreeMap<>();

    /** False when the payload or the train it would produce exceeds the codec bounds. */
    boolean offer(List<Carriage> currentTrain, int type, byte[] payload) {
        if (type < 0 || type > Carriage.MAX_TYPE || payload == null || payload.length > Carriage.MAX_PAYLOAD_BYTES) {
            return false;
        }
        Map<Integer, Integer> sizes = new TreeMap<>();
        for (Carriage c : currentTrain) {
            sizes.put(c.type(), c.payloadLength());
        }
        for (Map.Entry<Integer, byte[]> e : pending.entrySet()) {
            sizes.put(e.getKey(), e.getValue().length);
        }
        sizes.put(type, payload.length);
        int bytes = sizes.values().stream().mapToInt(Integer::intValue).sum();
        if (sizes.size() > RingCodec.MAX_CARRIAGES || bytes > RingCodec.MAX_TRAIN_BYTES) {
            return false;
        }
        pending.put(type, payload.clone());
        return true;
    }

    /** The train after this visit's updates: replaced carriages get version + 1, new ones version 1. */
    List<Carriage> applyTo(List<Carriage> train) {
        if (pending.isEmpty()) {
            return train;
        }
        List<Carriage> updated = new ArrayList<>(train);
        for (Map.Entry<Integer, byte[]> offer : pending.entrySet()) {
            int index = indexOfType(updated, offer.getKey());
            long version = index < 0 ? 1 : (updated.get(index).version() + 1) & 0xFFFF_FFFFL;
            Carriage carriage = new Carriage(offer.getKey(), version, offer.getValue());
            if (index < 0) {
                updated.add(carriage);
            } else {
                updated.set(index, carriage);
            }
        }
        pending.clear();
        return List.copyOf(updated);
    }

    private static int indexOfType(List<Carriage> carriages, int type) {
        for (int i = 0; i < carriages.size(); i++) {
            if (carriages.get(i).type() == type) {
                return i;
            }
        }
        return -1;
    }
}
