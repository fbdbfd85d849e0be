package io.s3lfs.core.internal.hash;

import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.api.spi.contract.HashAlgorithmContract;
import java.util.Map;

class Sha256Test extends HashAlgorithmContract {
  @Override
  protected HashAlgorithm algorithm() {
    return new Sha256();
  }

  @Override
  protected String emptyDigestHex() {
    return "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  }

  @Override
  protected Map<String, String> knownVectors() {
    return Map.of("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
