# One INTERFACE target with the warning flags and strictness defines; every tokenbench target links it PRIVATE.
add_library(tb_options INTERFACE)
target_compile_options(tb_options INTERFACE
    -Wall -Wextra -Wold-style-cast -Wnon-virtual-dtor -Woverloaded-virtual -Wshadow)
if(TB_WERROR)
    target_compile_options(tb_options INTERFACE -Werror)
endif()
target_compile_definitions(tb_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    OPENSSL_API_COMPAT=30000
    OPENSSL_NO_DEPRECATED
    TB_VERSION="${PROJECT_VERSION}")
if(TB_SANITIZE)
    target_compile_options(tb_options INTERFACE -fsanitize=${TB_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(tb_options INTERFACE -fsanitize=${TB_SANITIZE})
endif()
if(TB_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "TB_FUZZ needs clang (libFuzzer): configure with the fuzz preset or CMAKE_CXX_COMPILER=clang++")
    endif()
    # Coverage for every tokenbench object; the fuzzer main is linked into the targets only (tests/fuzz).
    target_compile_options(tb_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                                                -fno-sanitize-recover=all -gline-tables-only
                                                -Wno-unknown-pragmas) # GCC's push_options/target, for gcc only
    target_link_options(tb_options INTERFACE -fsanitize=address,undefined)
    # libstdc++ 12 hides <expected> from clang before 16: a C++23-conforming stand-in (cmake/compat/expected).
    include(CheckCXXSourceCompiles)
    set(CMAKE_REQUIRED_FLAGS "-std=c++2b")
    check_cxx_source_compiles("#include <expected>\nint main() { std::expected<int, int> e = 1; return *e - 1; }"
                              TB_HAVE_STD_EXPECTED)
    unset(CMAKE_REQUIRED_FLAGS)
    if(NOT TB_HAVE_STD_EXPECTED)
        target_include_directories(tb_options SYSTEM INTERFACE ${CMAKE_CURRENT_LIST_DIR}/compat)
    endif()
endif()
