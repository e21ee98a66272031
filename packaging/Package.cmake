# Desktop integration and the Debian package (`make package`, or `cpack` in the build dir).
# Included from the top-level CMakeLists.txt after every target exists. The binaries, the man page and
# the completions install from app/gui and app/cli; this file adds the desktop files and CPack.

set(TB_APP_ID io.github.tokenbench.Tokenbench)
set(TB_HOMEPAGE https://github.com/tokenbench/tokenbench)
set(TB_SCREENSHOT_BASE https://raw.githubusercontent.com/tokenbench/tokenbench/main/docs/screenshots)

if(TB_BUILD_GUI)
    target_compile_definitions(tokenbench PRIVATE TB_APP_ID="${TB_APP_ID}")
    configure_file(${CMAKE_CURRENT_LIST_DIR}/${TB_APP_ID}.metainfo.xml.in
                   ${PROJECT_BINARY_DIR}/packaging/${TB_APP_ID}.metainfo.xml @ONLY)
    install(FILES ${CMAKE_CURRENT_LIST_DIR}/${TB_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${PROJECT_BINARY_DIR}/packaging/${TB_APP_ID}.metainfo.xml
            DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
    install(FILES ${CMAKE_CURRENT_LIST_DIR}/${TB_APP_ID}.mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages
            RENAME ${TB_APP_ID}.xml)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/tokenbench.svg
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tokenbench)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The tokenbench developers")
set(CPACK_PACKAGE_CONTACT "The tokenbench developers <tokenbench@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "desktop workbench for authentication tokens (JWT, JWE, keys, sessions)")
# Debian wants the long description in lines under 80 columns, "." for a blank line.
set(CPACK_PACKAGE_DESCRIPTION
    "tokenbench decodes, edits, signs and verifies JSON Web Tokens with the exact
bytes kept and the reason for every verdict, audits tokens for the known
pitfalls, analyses session identifiers and Set-Cookie headers, and simulates
session-based and JWT-based authentication side by side.
.
The package holds the Qt 6 desktop application (tokenbench) and the
command-line front over the same core (tokenbench-cli), with its man page
and bash and zsh completions.")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # tokenbench_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${TB_HOMEPAGE})
# dpkg-shlibdeps reads the binaries' NEEDED entries: the Qt 6, OpenSSL 3 (libssl3) and zlib runtime
# packages with the versions this build needs, never -dev ones.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What is loaded at run time, which shlibdeps cannot see: the session stores open Qt's SQLite driver
# (a plugin) and start a loopback redis-server; without them the store says so and the rest works.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libqt6sql6-sqlite")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "redis-server")
include(CPack)
