package io.s3lfs.api.spi.contract;

/** Shared rules of the contract kit. */
final class Names {
  // Restated rather than calling NamedLookup.checkName: that class sits in a package the api
  // module does not export, and a third party may run this kit on the module path.
  static final String VALID = "[A-Za-z0-9]{1,127}";

  private Names() {}
}
