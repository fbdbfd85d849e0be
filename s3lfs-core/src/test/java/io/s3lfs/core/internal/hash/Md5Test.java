package io.s3lfs.core.internal.hash;

import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.api.spi.contract.HashAlgorithmContract;
import java.util.Map;

class Md5Test extends HashAlgorithmContract {
  @Override
  protected HashAlgorithm algorithm() {
    return new Md5();
  }

  @Override
  protected String emptyDigestHex() {
    return "d41d8cd98f00b204e9800998ecf8427e";
  }

  @Override
  protected Map<String, String> knownVectors() {
    return Map.of("This is a test file.", "3de8f8b0dc94b8c2230fab9ec0ba0506");
  }
}
