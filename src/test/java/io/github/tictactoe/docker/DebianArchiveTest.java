package io.github.tictactoe.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DebianArchiveTest {

    @Test
    void readsTheFirstAddressOfADeb822File() {
        String sources = """
                Types: deb
                # http://snapshot.example/archive/debian/20250520T000000Z
                URIs: http://mirror.example/debian
                Suites: bookworm bookworm-updates

                Types: deb
                URIs: http://mirror.example/debian-security
                """;

        assertThat(DebianArchive.first(sources, DebianArchive.URIS)).contains("http://mirror.example/debian");
    }

    @Test
    void readsTheFirstAddressOfAOneLineFileWithOrWithoutOptions() {
        assertThat(DebianArchive.first("# deb http://old.example/debian bookworm main\n"
                + "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example/debian "
                + "bookworm main\n", DebianArchive.DEB_LINE)).contains("http://mirror.example/debian");
        assertThat(DebianArchive.first("deb http://plain.example/debian bookworm main\n", DebianArchive.DEB_LINE))
                .contains("http://plain.example/debian");
        assertThat(DebianArchive.first("deb-src http://src.example/debian bookworm main\n", DebianArchive.DEB_LINE))
                .isEmpty();
    }

    @Test
    void thisMachineHasOne() {
        assertThat(DebianArchive.ofThisMachine()).matches("https?://\\S+");
    }
}
