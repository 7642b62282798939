package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder's files as items named by their relative paths ({@link Items}, {@link Item#file(Path, Path)}). */
class ItemsTest {
    @TempDir
    Path temp;

    @Test
    void namesEveryRegularFileByItsPathFromTheFolderInSortedDepthFirstOrder() throws IOException {
        Path photos = Files.createDirectory(temp.resolve("photos"));
        write(photos.resolve("b.jpg"));
        write(photos.resolve("a.jpg"));
        write(photos.resolve("2024/été/x y.png"));
        write(photos.resolve("2024/c.txt"));
        Files.createDirectories(photos.resolve("empty"));

        List<Item> items = Items.tree(photos);

        assertThat(items).extracting(Item::name).containsExactly("photos/2024/c.txt", "photos/2024/été/x y.png",
                "photos/a.jpg", "photos/b.jpg");
        assertThat(items.get(0).file()).contains(photos.resolve("2024/c.txt"));
        assertThat(Items.tree(photos.resolve("."))).extracting(Item::name).first().isEqualTo("photos/2024/c.txt");
    }

    @Test
    void skipsSymbolicLinksInsideTheTreeWithoutFollowingThemAndSaysSo() throws IOException {
        Path outside = write(temp.resolve("secret.txt"));
        Path tree = Files.createDirectory(temp.resolve("tree"));
        write(tree.resolve("real.txt"));
        Files.createSymbolicLink(tree.resolve("out-link.txt"), outside);
        Files.createSymbolicLink(tree.resolve("in-link.txt"), tree.resolve("real.txt"));
        Files.createSymbolicLink(tree.resolve("loop"), tree);

        Items.Listing listing = Items.list(tree);

        assertThat(listing.files()).extracting(Items.Named::name).containsExactly("tree/real.txt");
        assertThat(listing.skipped()).containsExactly("tree/in-link.txt: a symbolic link, not followed",
                "tree/loop: a symbolic link, not followed", "tree/out-link.txt: a symbolic link, not followed");
        // The folder named by the caller may itself be a link.
        Path linkToTree = Files.createSymbolicLink(temp.resolve("tree-link"), tree);
        assertThat(Items.tree(linkToTree)).extracting(Item::name).containsExactly("tree-link/real.txt");
    }

    @Test
    void refusesANameOverTheWireLimitNamingTheFileAndTheFix() throws IOException {
        Path tree = Files.createDirectory(temp.resolve("t"));
        Path deep = write(tree.resolve("é".repeat(100) + "/" + "ü".repeat(30) + ".txt"));

        assertThatThrownBy(() -> Items.tree(tree))
                .isInstanceOfSatisfying(UdpixException.class,
                        e -> assertThat(e.kind()).isEqualTo(UdpixException.Kind.INVALID_ITEM))
                .hasMessageContaining(deep.toString()).hasMessageContaining("over the wire's limit of 255")
                .hasMessageContaining("send a folder nearer to it");
    }

    @Test
    void refusesATreeDeeperThanReceiversKeep() throws IOException {
        Path tree = Files.createDirectory(temp.resolve("t"));
        write(tree.resolve("a/".repeat(16) + "f.txt"));

        assertThatThrownBy(() -> Items.tree(tree)).isInstanceOf(UdpixException.class)
                .hasMessageContaining("receivers keep at most 16");
        assertThat(Items.tree(tree.resolve("a"))).extracting(Item::name).containsExactly("a/".repeat(16) + "f.txt");
    }

    @Test
    void namesOneFileByItsPathRelativeToARoot() throws Exception {
        Path file = write(temp.resolve("photos/2024/cat.jpg"));

        assertThat(Item.file(temp.resolve("photos"), file).name()).isEqualTo("2024/cat.jpg");
        assertThatThrownBy(() -> Item.file(temp.resolve("elsewhere"), file)).isInstanceOf(UdpixException.class)
                .hasMessageContaining("is not inside");
    }

    private static Path write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, file.getFileName().toString());
    }
}
