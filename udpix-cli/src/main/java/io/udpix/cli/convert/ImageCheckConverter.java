package io.udpix.cli.convert;

import io.udpix.api.ImageCheck;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --image-check none|header|decode}, with the API's wording for a bad value. */
public final class ImageCheckConverter implements ITypeConverter<ImageCheck> {
    @Override
    public ImageCheck convert(String value) {
        try {
            return ImageCheck.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
