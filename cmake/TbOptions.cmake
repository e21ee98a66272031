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
