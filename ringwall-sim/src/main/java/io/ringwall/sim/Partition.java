package io.ringwall.sim;

import java.util.List;

/** A set of links taken down together and brought back together. */
public final class Partition {
    private final List<SimLink> links;
    private boolean active;

    public Partition(List<SimLink> links) {
        this.links = List.copyOf(links);
    }

    public void apply() {
        links.forEach(l -> l.setUp(false));
        active = true;
    }

    public void heal() {
        links.forEach(l -> l.setUp(true));
        active = false;
    }

    public boolean active() {
        return active;
    }
}
