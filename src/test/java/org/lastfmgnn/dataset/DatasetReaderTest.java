package org.lastfmgnn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lastfmgnn.testing.TestNeo4j;

class DatasetReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheRealFilesWithTheirPublishedCounts() throws IOException {
        LastFmDataset data = DatasetReader.read(TestNeo4j.DATA, null, FeatureSource.NONE);
        assertThat(data.userCount()).isEqualTo(7_624);
        assertThat(data.friendshipCount()).isEqualTo(27_806);
        assertThat(data.likeCount()).isZero();
        assertThat(data.featureSource()).isEqualTo(FeatureSource.NONE);
        assertThat(java.util.Arrays.stream(data.regions()).distinct().count()).isEqualTo(18);
    }

    @Test
    void readsTheSyntheticLikes() throws IOException {
        LastFmDataset data = DatasetReader.read(TestNeo4j.DATA,
                TestNeo4j.DATA.resolve(DatasetFiles.SYNTHETIC_FEATURES), FeatureSource.SYNTHETIC);
        assertThat(data.likeCount()).isEqualTo(3_012_680);
        assertThat(data.artistCount()).isEqualTo(7_842);
        assertThat(data.likeOffsets()[data.userCount()]).isEqualTo(3_012_680);
    }

    @Test
    void aBadRowIsReportedWithFileAndLine() throws IOException {
        write(DatasetFiles.USERS, "id,target\n0,1\n1,x\n");
        assertThatThrownBy(() -> DatasetReader.read(dir, null, FeatureSource.NONE))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("lastfm_asia_target.csv, line 3")
                .hasMessageContaining("'x'");
    }

    @Test
    void anEdgeToAnUnknownUserIsReportedWithFileAndLine() throws IOException {
        write(DatasetFiles.USERS, "id,target\n0,1\n1,2\n");
        write(DatasetFiles.FRIENDSHIPS, "node_1,node_2\n0,1\n1,99\n");
        assertThatThrownBy(() -> DatasetReader.read(dir, null, FeatureSource.NONE))
                .hasMessageContaining("lastfm_asia_edges.csv, line 3: unknown user id 99");
    }

    @Test
    void aWrongHeaderIsRefused() throws IOException {
        write(DatasetFiles.USERS, "user,region\n0,1\n");
        assertThatThrownBy(() -> DatasetReader.read(dir, null, FeatureSource.NONE))
                .hasMessageContaining("line 1: header must name the columns id,target");
    }

    @Test
    void reversedAndRepeatedFriendshipsAreOneFriendship() throws IOException {
        write(DatasetFiles.USERS, "id,target\n0,1\n1,2\n2,2\n");
        write(DatasetFiles.FRIENDSHIPS, "node_1,node_2\n0,1\n1,0\n0,1\n1,2\n");
        assertThat(DatasetReader.read(dir, null, FeatureSource.NONE).friendshipCount()).isEqualTo(2);
    }

    @Test
    void badLikesAreReportedByKey() throws IOException {
        write(DatasetFiles.USERS, "id,target\n0,1\n1,2\n");
        write(DatasetFiles.FRIENDSHIPS, "node_1,node_2\n0,1\n");
        Path likes = write("likes.json", "{\"0\": [1, 2], \"1\": [3, \"x\"]}");
        assertThatThrownBy(() -> DatasetReader.read(dir, likes, FeatureSource.UNVERIFIED))
                .hasMessageContaining("likes.json, key '1'")
                .hasMessageContaining("non-negative integers, got x");
        Path unknownUser = write("unknown.json", "{\"0\": [1], \"7\": [3]}");
        assertThatThrownBy(() -> DatasetReader.read(dir, unknownUser, FeatureSource.UNVERIFIED))
                .hasMessageContaining("unknown.json, key '7'").hasMessageContaining("unknown user id 7");
        Path broken = write("broken.json", "{\"0\": [1, 2,");
        assertThatThrownBy(() -> DatasetReader.read(dir, broken, FeatureSource.UNVERIFIED))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("broken.json");
    }

    @Test
    void aTruncatedGzipIsReported() throws IOException {
        write(DatasetFiles.USERS, "id,target\n0,1\n1,2\n");
        write(DatasetFiles.FRIENDSHIPS, "node_1,node_2\n0,1\n");
        Path gz = dir.resolve("likes.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("{\"0\": [1, 2], \"1\": [3, 4, 5, 6, 7, 8, 9, 10]}".getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> DatasetReader.read(dir, gz, FeatureSource.UNVERIFIED))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("likes.json.gz");
    }

    @Test
    void likesAreDeduplicatedAndSortedPerUser() throws IOException {
        write(DatasetFiles.USERS, "id,target\n5,1\n9,2\n");
        write(DatasetFiles.FRIENDSHIPS, "node_1,node_2\n5,9\n");
        Path likes = write("likes.json", "{\"9\": [4, 2, 4], \"5\": [7]}");
        LastFmDataset data = DatasetReader.read(dir, likes, FeatureSource.UNVERIFIED);
        assertThat(data.likedArtists()).containsExactly(7, 2, 4);
        assertThat(data.artistIds()).containsExactly(2, 4, 7);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
