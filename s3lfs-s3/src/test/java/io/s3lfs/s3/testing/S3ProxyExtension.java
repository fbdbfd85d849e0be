package io.s3lfs.s3.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects one {@link S3ProxyServer} shared by every test of the run (kept in the root store, so
 * it starts once and is stopped when the run ends). Declare a parameter of type S3ProxyServer in
 * a constructor, a test or a {@code @BeforeAll} method.
 */
public final class S3ProxyExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == S3ProxyServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .computeIfAbsent(S3ProxyServer.class, k -> S3ProxyServer.start(), S3ProxyServer.class);
  }
}
