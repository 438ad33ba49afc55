package dev.rendezvous.cli;

import dev.rendezvous.server.config.ConfigLayers;
import dev.rendezvous.server.config.Setting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flags of {@code rendezvous serve}, made from {@link ServeSettings#ALL} (a picocli model
 * transformer), and the values given for them. A flag has no picocli default: an absent flag is null
 * and falls through to the environment, the file, then the setting's default ({@link ConfigLayers}).
 * Values stay text here; the setting's reader parses them, so a bad value fails naming the key and the
 * flag, as from any other layer.
 */
final class SettingOptions implements IModelTransformer {

    @Override
    public CommandSpec transform(CommandSpec spec) {
        for (Setting<?> setting : ServeSettings.ALL) {
            if (setting.flag() == null) {
                continue;
            }
            OptionSpec.Builder option = OptionSpec.builder(setting.flag())
                    .paramLabel(setting.label())
                    .arity("1")
                    .description(help(setting));
            if (setting.repeatable()) {
                option.type(List.class).auxiliaryTypes(String.class);
            } else {
                option.type(String.class);
            }
            spec.addOption(option.build());
        }
        return spec;
    }

    /** The flags given on this command line, by setting key (absent when not given), for {@link ConfigLayers}. */
    static Map<String, Object> given(CommandSpec spec) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting<?> setting : ServeSettings.ALL) {
            OptionSpec option = setting.flag() == null ? null : spec.findOption(setting.flag());
            Object value = option == null ? null : option.getValue();
            if (value != null) {
                values.put(setting.key(), value);
            }
        }
        return values;
    }

    /** Description, default and environment variable; docs markup dropped, {@code %} kept literal for picocli. */
    private static String help(Setting<?> setting) {
        String text = setting.description() + (setting.repeatable() ? " Repeatable." : "")
                + " Default: " + setting.defaultText() + "."
                + (setting.env() == null ? "" : " Env: " + setting.env() + ".");
        return text.replace("`", "").replace("%", "%%");
    }
}
