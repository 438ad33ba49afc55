package dev.rendezvous.cli;

import dev.rendezvous.server.session.Connection;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli's converter for an id or a room name ({@code --id}, {@code --room}, {@code --pair}): checked here
 * against the server's own rule ({@link Connection#NAME}), so a bad one is one sentence before any
 * connection is made, not a refused handshake.
 */
final class PeerName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
        if (!Connection.NAME.matcher(value).matches()) {
            throw new TypeConversionException("\"" + value + "\" is not a valid name: use 1-64 characters of"
                    + " A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        return value;
    }
}
