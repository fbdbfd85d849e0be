package io.s3lfs.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3lfs.api.ObjectInfo;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListPageTest {
  private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";

  private static ListPage parse(String xml) {
    return ListPage.parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  private static String contents(String key, String size) {
    return "<Contents><Key>" + key + "</Key><LastModified>2026-11-30T10:00:00.000Z</LastModified>"
        + "<ETag>&quot;0cc175b9c0f1b6a831c399e269772661&quot;</ETag><Size>" + size + "</Size>"
        + "<Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID></Owner>"
        + "<StorageClass>STANDARD</StorageClass></Contents>";
  }

  @Test
  void parse_awsOrderUrlEncoded_decodesKeysAsForms() {
    // AWS puts EncodingType after the objects; '+' is a space, %2B a plus (measured on S3).
    ListPage page = parse(HEAD + "<Name>b</Name><Prefix>a%2F</Prefix><KeyCount>4</KeyCount><MaxKeys>1000</MaxKeys>"
        + "<IsTruncated>false</IsTruncated>" + contents("a/x+y.bin", "3") + contents("a/x%2By.bin", "0")
        + contents("a/100%25.csv", "12") + contents("a/%ED%95%9C%EA%B8%80.bin", "5")
        + "<EncodingType>url</EncodingType></ListBucketResult>");

    assertThat(page.objects()).containsExactly(new ObjectInfo("a/x y.bin", 3), new ObjectInfo("a/x+y.bin", 0),
        new ObjectInfo("a/100%.csv", 12), new ObjectInfo("a/한글.bin", 5));
    assertThat(page.next()).isNull();
  }

  @Test
  void parse_serverIgnoredEncodingType_keepsKeysAsSent() {
    ListPage page = parse(HEAD + "<IsTruncated>false</IsTruncated>" + contents("a/x+y &amp; &lt;z&gt; 100%.bin", "7")
        + "</ListBucketResult>");

    assertThat(page.objects()).containsExactly(new ObjectInfo("a/x+y & <z> 100%.bin", 7));
  }

  @Test
  void parse_truncated_givesTheNextTokenVerbatim() {
    ListPage page = parse(HEAD + "<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>"
        + "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
        + contents("k", "1") + "</ListBucketResult>");

    assertThat(page.objects()).containsExactly(new ObjectInfo("k", 1));
    assertThat(page.next()).isEqualTo("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  }

  @Test
  void parse_noObjects_isAnEmptyLastPage() {
    ListPage page = parse(HEAD + "<Name>b</Name><Prefix></Prefix><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>"
        + "</ListBucketResult>");

    assertThat(page.objects()).isEmpty();
    assertThat(page.next()).isNull();
  }

  @Test
  void parse_characterReferences_areDecoded() {
    ListPage page = parse(HEAD + "<IsTruncated>false</IsTruncated>" + contents("a&#9;b&#x1F600;&apos;", "1")
        + "</ListBucketResult>");

    assertThat(page.objects()).extracting(ObjectInfo::key).containsExactly("a\tb\uD83D\uDE00'");
  }

  /** Forms the scanner does not read: it says so, and the SDK reads the page. */
  @ParameterizedTest
  @ValueSource(strings = {
      "<Error><Code>AccessDenied</Code></Error>",
      HEAD + "<IsTruncated>false</IsTruncated><Contents><Key><![CDATA[k]]></Key><Size>1</Size></Contents></ListBucketResult>",
      HEAD + "<!-- note --><IsTruncated>false</IsTruncated></ListBucketResult>",
      HEAD + "<IsTruncated>false</IsTruncated><Contents><Key xml:space=\"preserve\">k</Key><Size>1</Size></Contents></ListBucketResult>",
      HEAD + "<IsTruncated>false</IsTruncated><Contents><Size>1</Size></Contents></ListBucketResult>",
      HEAD + "<IsTruncated>false</IsTruncated><Contents><Key>k</Key></Contents></ListBucketResult>",
      HEAD + "<IsTruncated>false</IsTruncated><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>",
      HEAD + "<IsTruncated>false</IsTruncated><Contents><Key>k&nbsp;</Key><Size>1</Size></Contents></ListBucketResult>",
      HEAD + "<IsTruncated>false</IsTruncated><Contents><Key>k</Key><Size>1</Size></ListBucketResult>",
      HEAD + "<IsTruncated>true</IsTruncated><Contents><Key>k</Key><Size>1</Size></Contents></ListBucketResult>",
      HEAD + "<Contents><Key>k</Key><Size>1</Size></Contents></ListBucketResult>",
      HEAD + "<IsTruncated>False</IsTruncated></ListBucketResult>",
      HEAD + "<EncodingType>base64</EncodingType><IsTruncated>false</IsTruncated></ListBucketResult>",
      HEAD + "<EncodingType>url</EncodingType><IsTruncated>false</IsTruncated><Contents><Key>%E0%A4</Key><Size>1</Size></Contents></ListBucketResult>",
      HEAD + "<IsTruncated>false</IsTruncated><Key>k</Key></ListBucketResult>",
  })
  void parse_formItDoesNotKnow_isNull(String xml) {
    assertThat(parse(xml)).isNull();
  }
}
