package io.ringwall.app.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** A cluster file with its rules file and a secret, written into a test's temporary directory. */
final class ConfigFiles {
    static final String SECRET = "0123456789abcdef0123456789abcdef\n";

    private ConfigFiles() {
    }

    /** Writes {@code rules.conf}, {@code cluster.key} and {@code ringwall.toml} into {@code dir}; the TOML's path. */
    static Path write(Path dir, String toml, String rules) throws Exception {
        Files.writeString(dir.resolve("rules.conf"), rules);
        Files.writeString(dir.resolve("cluster.key"), SECRET);
        Path file = dir.resolve("ringwall.toml");
        Files.writeString(file, toml);
        return file;
    }

    /** The message of the ConfigException loading {@code file} raises, with the file's path shown as "F". */
    static String errorOf(Path file) throws Exception {
        try {
            ConfigLoader.load(file);
        } catch (ConfigException e) {
            return e.getMessage().replace(file.toString(), "F");
        }
        throw new AssertionError("expected a ConfigException");
    }
}
