package io.s3lfs.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.api.spi.Codec;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** ZstdCodec loaded where zstd-jni is not: only the api and core classes are visible. */
class ZstdCodecAbsentTest {
  private static Object zstdCodecWithoutZstdJni(URLClassLoader loader) throws ReflectiveOperationException {
    return Class.forName(ZstdCodec.class.getName(), true, loader).getConstructor().newInstance();
  }

  private static URLClassLoader loaderWithoutZstdJni() {
    URL core = ZstdCodec.class.getProtectionDomain().getCodeSource().getLocation();
    URL api = Codec.class.getProtectionDomain().getCodeSource().getLocation();
    return new URLClassLoader(new URL[] {core, api}, ClassLoader.getPlatformClassLoader());
  }

  @Test
  void isAvailable_withoutZstdJni_isFalse() throws Exception {
    try (URLClassLoader loader = loaderWithoutZstdJni()) {
      Object codec = zstdCodecWithoutZstdJni(loader);

      assertThat(codec.getClass().getMethod("isAvailable").invoke(codec)).isEqualTo(false);
    }
  }

  @Test
  void encode_withoutZstdJni_throwsNamingTheLibrary() throws Exception {
    try (URLClassLoader loader = loaderWithoutZstdJni()) {
      Object codec = zstdCodecWithoutZstdJni(loader);
      var encode = codec.getClass().getMethod("encode", OutputStream.class, int.class);

      assertThatThrownBy(() -> encode.invoke(codec, new ByteArrayOutputStream(), 3))
          .isInstanceOf(InvocationTargetException.class)
          .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("zstd-jni");
    }
  }

  @Test
  void isAvailable_withZstdJni_isTrue() {
    assertThat(new ZstdCodec().isAvailable()).isTrue();
  }
}
