package io.s3lfs.s3.internal;

import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The three SDK requests that create objects, built in one place so that each carries
 * {@code x-amz-server-side-encryption: AES256} unless encryption is switched off (for
 * S3-compatible servers that answer NotImplemented to it, spec 3.4). {@link CrtRequests#put}
 * sends the same header on the PUTs it makes beneath the SDK.
 */
final class Requests {
  private final String bucket;
  private final ServerSideEncryption sse;

  Requests(S3Settings settings) {
    this.bucket = settings.bucket();
    this.sse = settings.encryption() ? ServerSideEncryption.AES256 : null;
  }

  PutObjectRequest putObject(String key, long length) {
    return PutObjectRequest.builder().bucket(bucket).key(key).contentLength(length)
        .serverSideEncryption(sse).build();
  }

  CreateMultipartUploadRequest createMultipartUpload(String key) {
    return CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
        .serverSideEncryption(sse).build();
  }

  CopyObjectRequest copyObject(String sourceKey, String targetKey) {
    return CopyObjectRequest.builder().sourceBucket(bucket).sourceKey(sourceKey)
        .destinationBucket(bucket).destinationKey(targetKey).serverSideEncryption(sse).build();
  }
}
