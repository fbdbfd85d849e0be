package io.s3lfs.core.internal.hash;

import io.s3lfs.api.Digest;
import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.api.spi.Hasher;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A {@link HashAlgorithm} backed by OpenSSL's libcrypto where it loads ({@link OpenSsl}), else by
 * a JCA {@link MessageDigest} that every JDK must provide.
 */
abstract sealed class MessageDigestAlgorithm extends HashAlgorithm permits Sha256, Md5 {
  private final String jcaName;
  private final int digestLength;

  MessageDigestAlgorithm(String name, String jcaName, int digestLength) {
    super(name);
    this.jcaName = jcaName;
    this.digestLength = digestLength;
  }

  @Override
  public final int digestLength() {
    return digestLength;
  }

  @Override
  public final Hasher newHasher() {
    var openSsl = OpenSsl.get();
    if (openSsl.isPresent()) {
      return openSsl.get().newHasher(name());
    }
    return jdkHasher();
  }

  /** @return a hasher on the JDK's provider, whether or not OpenSSL is in use */
  final Hasher jdkHasher() {
    try {
      return new DigestHasher(name(), MessageDigest.getInstance(jcaName));
    } catch (NoSuchAlgorithmException e) {
      // The Java SE specification requires SHA-256 and MD5 in every runtime.
      throw new IllegalStateException("this Java runtime lacks " + jcaName, e);
    }
  }

  private static final class DigestHasher implements Hasher {
    private final String name;
    private final MessageDigest digest;
    private boolean finished;

    DigestHasher(String name, MessageDigest digest) {
      this.name = name;
      this.digest = digest;
    }

    @Override
    public void update(ByteBuffer data) {
      checkNotFinished();
      digest.update(data);
    }

    @Override
    public void update(byte[] data, int offset, int length) {
      checkNotFinished();
      digest.update(data, offset, length);
    }

    @Override
    public Digest finish() {
      checkNotFinished();
      finished = true;
      return Digest.of(name, digest.digest());
    }

    // MessageDigest silently resets after digest(); reuse would hash the wrong bytes.
    private void checkNotFinished() {
      if (finished) {
        throw new IllegalStateException(name + " hasher used after finish()");
      }
    }
  }
}
