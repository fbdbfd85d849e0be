package io.s3lfs.cli;

public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("s3lfs " + io.s3lfs.core.Version.get());
  }
}
